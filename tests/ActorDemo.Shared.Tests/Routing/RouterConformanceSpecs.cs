using System.Collections.Concurrent;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Amqp;
using Amqp.Framing;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Shared.Tests.Routing;

/// <summary>
/// The router behaviours ActorDemo relies on, as one set of specs run against the embedded router
/// and against Apache Qpid Dispatch Router (the router EnMasse deploys) with a <c>balanced</c>
/// address. Every assertion is what a client can observe; where the two routers differ, the spec
/// says so by name.
/// </summary>
public abstract class RouterConformanceSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Address = "temperature";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly string ProtonClient = Path.Combine(AppContext.BaseDirectory, "Interop", "proton_client.py");
    private readonly List<ExternalProcess> _processes = [];
    private TestRouter? _router;

    private TestRouter Router => _router ?? throw new InvalidOperationException("The router has not started.");

    protected abstract Task<TestRouter> StartRouterAsync(string address);

    public async Task InitializeAsync() => _router = await StartRouterAsync(Address);

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_router is not null)
        {
            await _router.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_sender_gets_no_credit_while_no_receiver_is_attached_and_credit_once_one_is()
    {
        // Proton reports the credit its sender holds; AMQPNetLite does not show it.
        var probe = Proton("credit", Router.Url, Address);
        await probe.WaitForLineAsync(l => l.StartsWith("credit ", StringComparison.Ordinal), Wait);
        Assert.Equal("credit 0", probe.Lines.First(l => l.StartsWith("credit ", StringComparison.Ordinal)));

        await Router.ReceiverAsync(Address, credit: 10);

        await probe.WaitForLineAsync(l => l.StartsWith("credit ", StringComparison.Ordinal) && l != "credit 0", Wait);
    }

    [Fact]
    public async Task A_message_sent_before_any_receiver_attached_reaches_the_first_receiver_and_its_acceptance_the_sender()
    {
        var sender = await Router.SenderAsync(Address);
        var outcome = sender.SendWithOutcome("23");

        var receiver = await Router.ReceiverAsync(Address, credit: 10);
        var message = await receiver.ReceiveAsync(Wait);
        Assert.Equal("23", message.Body);
        receiver.Accept(message);

        Assert.IsType<Accepted>(await outcome.WaitAsync(Wait));
    }

    [Fact]
    public async Task Messages_are_spread_over_two_receivers_within_a_fair_bound()
    {
        const int total = 200;
        var first = await Router.ReceiverAsync(Address, credit: total);
        var second = await Router.ReceiverAsync(Address, credit: total);
        var sender = await Router.SenderAsync(Address);

        var outcomes = Enumerable.Range(0, total).Select(i => sender.SendWithOutcome(i.ToString())).ToList();
        var counts = new int[2];
        await Task.WhenAll(Drain(first, 0), Drain(second, 1));
        await Task.WhenAll(outcomes).WaitAsync(Wait);

        // The embedded router alternates; Qpid Dispatch picks the receiver with the fewest
        // deliveries outstanding, so the split is fair but not exact.
        output.WriteLine($"{Router.Name}: {counts[0]} + {counts[1]} of {total}");
        Assert.Equal(total, counts[0] + counts[1]);
        Assert.All(counts, count => Assert.InRange(count, total / 4, total * 3 / 4));

        async Task Drain(ReceiverLink receiver, int index)
        {
            while (Volatile.Read(ref counts[0]) + Volatile.Read(ref counts[1]) < total)
            {
                var message = await receiver.ReceiveAsync(TimeSpan.FromMilliseconds(200));
                if (message is not null)
                {
                    receiver.Accept(message);
                    Interlocked.Increment(ref counts[index]);
                }
            }
        }
    }

    [Fact]
    public async Task Several_senders_never_overrun_a_receivers_credit_and_everything_arrives_once_it_gives_more()
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 10, autoRestore: false);
        var senders = new[] { await Router.SenderAsync(Address), await Router.SenderAsync(Address), await Router.SenderAsync(Address) };
        var outcomes = senders.SelectMany(s => Enumerable.Range(0, 20).Select(i => s.SendWithOutcome($"{s.Name}-{i}"))).ToList();

        var bodies = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var message = await receiver.ReceiveAsync(Wait);
            bodies.Add((string)message.Body);
            receiver.Accept(message);
        }

        // A round trip on the receiver's connection: a transfer beyond its credit would have come before the answer.
        await Router.SenderAsync("barrier", receiver.Session);
        Assert.Null(receiver.Receive(TimeSpan.Zero));

        receiver.SetCredit(100, autoRestore: false);
        for (var i = 10; i < 60; i++)
        {
            var message = await receiver.ReceiveAsync(Wait);
            Assert.NotNull(message);
            bodies.Add((string)message.Body);
            receiver.Accept(message);
        }

        Assert.Equal(60, bodies.Distinct().Count());
        Assert.All(await Task.WhenAll(outcomes).WaitAsync(Wait), o => Assert.IsType<Accepted>(o));
    }

    [Theory]
    [InlineData("accept")]
    [InlineData("reject")]
    [InlineData("release")]
    [InlineData("modify")]
    public async Task The_receivers_outcome_goes_back_to_the_sender(string decision)
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 1);
        var sender = await Router.SenderAsync(Address);
        var outcome = sender.SendWithOutcome("not a number");
        var message = await receiver.ReceiveAsync(Wait);

        switch (decision)
        {
            case "accept":
                receiver.Accept(message);
                Assert.IsType<Accepted>(await outcome.WaitAsync(Wait));
                break;
            case "reject":
                receiver.Reject(message, new Error("amqp:invalid-field") { Description = "temperature is not a number" });
                var rejected = Assert.IsType<Rejected>(await outcome.WaitAsync(Wait));
                Assert.Equal("temperature is not a number", rejected.Error.Description);
                Assert.Equal("amqp:invalid-field", rejected.Error.Condition.ToString());
                break;
            case "release":
                receiver.Release(message);
                Assert.IsType<Released>(await outcome.WaitAsync(Wait));
                break;
            case "modify":
                receiver.Modify(message, deliveryFailed: true, undeliverableHere: true);
                Assert.IsType<Modified>(await outcome.WaitAsync(Wait));
                break;
        }
    }

    [Fact]
    public async Task A_receiver_that_detaches_mid_stream_hands_its_unsettled_messages_back_and_they_reach_another()
    {
        var leaving = await Router.ReceiverAsync(Address, credit: 5, autoRestore: false);
        var sender = await Router.SenderAsync(Address);
        var handedBack = new ConcurrentBag<string>();
        var acceptedCount = 0;
        var allAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A sender that sends again what comes back not delivered, as ActorDemo's sink does.
        void Send(string body) => sender.Send(new Message(body), (_, _, outcome, _) =>
        {
            if (outcome is Released or Modified)
            {
                handedBack.Add(outcome is Modified { DeliveryFailed: true } ? "modified (delivery-failed)" : outcome.GetType().Name);
                Send(body);
            }
            else if (outcome is Accepted && Interlocked.Increment(ref acceptedCount) == 5)
            {
                allAccepted.TrySetResult();
            }
        }, null);

        for (var i = 0; i < 5; i++)
        {
            Send($"reading-{i}");
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await leaving.ReceiveAsync(Wait));
        }

        var staying = await Router.ReceiverAsync(Address, credit: 10);
        await leaving.CloseAsync();

        var bodies = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var message = await staying.ReceiveAsync(Wait);
            Assert.NotNull(message);
            bodies.Add((string)message.Body);
            staying.Accept(message);
        }

        await allAccepted.Task.WaitAsync(Wait);
        // Both routers answer a delivery lost with its receiver `modified` with delivery-failed set.
        Assert.Equal(Enumerable.Repeat("modified (delivery-failed)", 5), handedBack);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"reading-{i}"), bodies.Order());
    }

    [Fact]
    public async Task Clients_without_a_SASL_layer_exchange_messages()
    {
        var session = await Router.OpenSessionAsync(sasl: false);
        var receiver = await Router.ReceiverAsync(Address, credit: 10, session: session);

        var sender = Proton("send", Router.Url, Address, "3", "--no-sasl");

        for (var i = 0; i < 3; i++)
        {
            var message = await receiver.ReceiveAsync(Wait);
            Assert.Equal(i.ToString(), message.Body);
            receiver.Accept(message);
        }

        Assert.Equal(0, await sender.WaitForExitAsync(Wait));
    }

    [Fact]
    public async Task Presettled_messages_to_a_congested_receiver_may_be_dropped_but_arrive_in_order_and_never_twice()
    {
        const int total = 5000;
        var receiver = await Router.ReceiverAsync(Address, credit: 10, autoRestore: false);
        var sender = await Router.SenderAsync(Address, settleMode: SenderSettleMode.Mixed);

        for (var i = 0; i < total; i++)
        {
            sender.Send(new Message(i.ToString()), null, null);
        }

        // One unsettled message last: once it arrives, every pre-settled one before it has arrived or is gone.
        var end = sender.SendWithOutcome("end");
        receiver.SetCredit(1000, autoRestore: true);
        var arrived = new List<int>();
        while (true)
        {
            var message = await receiver.ReceiveAsync(Wait);
            Assert.NotNull(message);
            receiver.Accept(message);
            if ((string)message.Body == "end")
            {
                break;
            }

            arrived.Add(int.Parse((string)message.Body));
        }

        // Qpid Dispatch drops pre-settled deliveries that a congested outgoing link cannot take (its
        // `psdrop` counter). The embedded router differs here, on purpose: it grants senders no more
        // credit than the receivers gave, so it has nothing queued to shed and drops none.
        Assert.IsType<Accepted>(await end.WaitAsync(Wait));
        output.WriteLine($"{Router.Name}: {arrived.Count} of {total} pre-settled messages arrived, {total - arrived.Count} dropped");
        Assert.Equal(arrived.Order(), arrived);
        Assert.Equal(arrived.Count, arrived.Distinct().Count());
        if (!ShedsPresettledUnderCongestion)
        {
            Assert.Equal(total, arrived.Count);
        }
    }

    /// <summary>Whether the router may drop pre-settled deliveries that a congested receiver cannot take (Qpid Dispatch does).</summary>
    protected abstract bool ShedsPresettledUnderCongestion { get; }

    private ExternalProcess Proton(params string[] arguments)
    {
        var process = ExternalProcess.Start("/usr/bin/python3", [ProtonClient, .. arguments], new Dictionary<string, string>());
        _processes.Add(process);
        return process;
    }
}

public sealed class EmbeddedRouterConformance(ITestOutputHelper output) : RouterConformanceSpecs(output)
{
    protected override bool ShedsPresettledUnderCongestion => false;

    protected override Task<TestRouter> StartRouterAsync(string address) => Task.FromResult<TestRouter>(new EmbeddedRouterFixture());
}

public sealed class QpidDispatchConformance(ITestOutputHelper output) : RouterConformanceSpecs(output)
{
    protected override bool ShedsPresettledUnderCongestion => true;

    protected override async Task<TestRouter> StartRouterAsync(string address) => await QpidDispatchFixture.StartStandaloneAsync(address);
}
