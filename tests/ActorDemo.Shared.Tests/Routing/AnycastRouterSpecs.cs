using ActorDemo.Testing;
using Amqp;
using Amqp.Framing;
using Xunit;

namespace ActorDemo.Shared.Tests.Routing;

public sealed class AnycastRouterSpecs : IAsyncLifetime
{
    private const string Address = "temperature";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly RouterFixture _router = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _router.DisposeAsync().AsTask();

    [Fact]
    public async Task A_sender_gets_no_credit_while_no_receiver_is_attached()
    {
        var sender = await _router.SenderAsync(Address);
        var outcome = sender.SendWithOutcome("23");

        // A second attach on the same connection is a round trip: any credit would have come before its answer.
        await _router.SenderAsync("barrier", sender.Session);

        var stats = _router.Stats(Address);
        Assert.Equal(1, stats.Producers);
        Assert.Equal(0, stats.ProducerCredit);
        Assert.Equal(0, stats.Routed);
        Assert.False(outcome.IsCompleted);
    }

    [Fact]
    public async Task A_sender_gets_credit_when_a_receiver_attaches_and_its_message_is_delivered()
    {
        var sender = await _router.SenderAsync(Address);
        var outcome = sender.SendWithOutcome("23");

        var receiver = await _router.ReceiverAsync(Address, credit: 10);
        var message = await receiver.ReceiveAsync(Wait);
        Assert.Equal("23", message.Body);
        receiver.Accept(message);

        Assert.IsType<Accepted>(await outcome.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_sender_that_attaches_after_an_idle_one_gets_credit_at_once()
    {
        var receiver = await _router.ReceiverAsync(Address, credit: 10);
        var idle = await _router.SenderAsync(Address);
        await Eventually.Assert(() => Assert.Equal(10, _router.Stats(Address).ProducerCredit));

        // The idle sender holds the whole credit and sends nothing: the latecomer must not wait for it.
        var late = await _router.SenderAsync(Address);
        var outcome = late.SendWithOutcome("23");

        var message = await receiver.ReceiveAsync(Wait);
        Assert.Equal("23", message.Body);
        receiver.Accept(message);
        Assert.IsType<Accepted>(await outcome.WaitAsync(Wait));
        GC.KeepAlive(idle);
    }

    [Fact]
    public async Task Messages_go_round_robin_to_receivers_with_credit()
    {
        var first = await _router.ReceiverAsync(Address, credit: 100);
        var second = await _router.ReceiverAsync(Address, credit: 100);
        var sender = await _router.SenderAsync(Address);
        await Eventually.Assert(() => Assert.Equal(200, _router.Stats(Address).ConsumerCredit));

        var outcomes = Enumerable.Range(0, 100).Select(i => sender.SendWithOutcome(i.ToString())).ToList();
        var counts = new int[2];
        await Task.WhenAll(Drain(first, 0), Drain(second, 1));
        await Task.WhenAll(outcomes).WaitAsync(Wait);

        Assert.Equal(50, counts[0]);
        Assert.Equal(50, counts[1]);

        async Task Drain(ReceiverLink receiver, int index)
        {
            while (Volatile.Read(ref counts[0]) + Volatile.Read(ref counts[1]) < 100)
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
    public async Task Several_senders_together_never_get_more_credit_than_the_receiver_gave()
    {
        var receiver = await _router.ReceiverAsync(Address, credit: 10, autoRestore: false);
        var senders = new[] { await _router.SenderAsync(Address), await _router.SenderAsync(Address), await _router.SenderAsync(Address) };
        var outcomes = senders.SelectMany(s => Enumerable.Range(0, 20).Select(i => s.SendWithOutcome($"{s.Name}-{i}"))).ToList();

        var received = new List<Message>();
        for (var i = 0; i < 10; i++)
        {
            received.Add(await receiver.ReceiveAsync(Wait));
            Assert.True(_router.Stats(Address).ProducerCredit <= 10);
        }

        await Eventually.Assert(() => Assert.Equal(0, _router.Stats(Address).ProducerCredit));
        Assert.Equal(10, _router.Stats(Address).Routed);
        Assert.Null(await receiver.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
        Assert.DoesNotContain(outcomes, o => o.IsCompleted && o.Result is Accepted);
    }

    [Theory]
    [InlineData("accept")]
    [InlineData("reject")]
    [InlineData("release")]
    [InlineData("modify")]
    public async Task The_receivers_outcome_goes_back_to_the_sender(string decision)
    {
        var receiver = await _router.ReceiverAsync(Address, credit: 1);
        var sender = await _router.SenderAsync(Address);
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
    public async Task A_receiver_that_detaches_has_its_unsettled_messages_released_and_they_reach_another_receiver()
    {
        var leaving = await _router.ReceiverAsync(Address, credit: 5, autoRestore: false);
        var sender = await _router.SenderAsync(Address);
        var released = 0;
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var acceptedCount = 0;

        // A sender that sends again what is released, as ActorDemo's sink does.
        void Send(string body) => sender.Send(new Message(body), (_, _, outcome, _) =>
        {
            if (outcome is Released)
            {
                Interlocked.Increment(ref released);
                Send(body);
            }
            else if (outcome is Accepted && Interlocked.Increment(ref acceptedCount) == 5)
            {
                accepted.TrySetResult();
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

        var staying = await _router.ReceiverAsync(Address, credit: 10);
        await leaving.CloseAsync();

        var bodies = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var message = await staying.ReceiveAsync(Wait);
            Assert.NotNull(message);
            bodies.Add((string)message.Body);
            staying.Accept(message);
        }

        await accepted.Task.WaitAsync(Wait);
        Assert.Equal(5, released);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"reading-{i}"), bodies.Order());
    }
}

public sealed class AnycastRouterSaslSpecs : IAsyncLifetime
{
    private readonly RouterFixture _router = new(user: "sensor", password: "s3cret");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _router.DisposeAsync().AsTask();

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        var error = await Assert.ThrowsAsync<AmqpException>(() => _router.OpenSessionAsync("sensor", "wrong"));
        Assert.Equal(ErrorCode.UnauthorizedAccess, error.Error.Condition.ToString());
    }

    [Fact]
    public async Task The_configured_user_and_password_are_let_in()
    {
        var session = await _router.OpenSessionAsync("sensor", "s3cret");
        Assert.False(session.IsClosed);
    }
}
