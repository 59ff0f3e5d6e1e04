using ActorDemo.Testing;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Amqp.Framing;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Amqp.Tests.Streams;

/// <summary>
/// What every source of unsettled messages promises downstream and the senders, read through the
/// embedded router: over an AMQP link (<see cref="AmqpSourceSpecs"/>) and in the router's own
/// process (<see cref="LocalSourceSpecs"/>).
/// </summary>
public abstract class ReceivedMessageSourceSpecs(ITestOutputHelper output) : RouterSpec(output)
{
    protected AmqpSourceSettings Settings => new(Router.Endpoint, Address);

    protected abstract Source<ReceivedMessage, AmqpLinkMetrics> Reading(AmqpSourceSettings settings);

    private (AmqpLinkMetrics Metrics, TestSubscriber.Probe<ReceivedMessage> Probe) Subscribe(int credit) =>
        Reading(Settings with { Credit = credit })
            .ToMaterialized(this.SinkProbe<ReceivedMessage>(), Keep.Both)
            .Run(Materializer);

    /// <summary>Runs a source into <paramref name="received"/> ("done" when it completes) behind a switch that stops downstream, as an aggregator leaving.</summary>
    private UniqueKillSwitch RunStoppable(AmqpSourceSettings settings, Akka.Actor.IActorRef received) =>
        Reading(settings)
            .ViaMaterialized(KillSwitches.Single<ReceivedMessage>(), Keep.Right)
            .To(Sink.ActorRef<ReceivedMessage>(received, "done", _ => "failed"))
            .Run(Materializer);

    [Fact]
    public async Task Each_materialization_has_a_link_and_counters_of_its_own()
    {
        var source = Reading(Settings with { Credit = 10 });
        var (first, firstProbe) = source.ToMaterialized(this.SinkProbe<ReceivedMessage>(), Keep.Both).Run(Materializer);
        var (second, secondProbe) = source.ToMaterialized(this.SinkProbe<ReceivedMessage>(), Keep.Both).Run(Materializer);
        await Eventually.Assert(() => Assert.Equal(2, Router.Stats(Address).Consumers));
        var sender = await Router.SenderAsync(Address);

        _ = sender.SendWithOutcome("21");
        _ = sender.SendWithOutcome("22");

        // The router hands one to each receiver with credit: each link counts its own.
        await Eventually.Assert(() => Assert.Equal((1, 1), (first.Received, second.Received)));
        Assert.NotSame(first, second);
        firstProbe.Cancel();
        secondProbe.Cancel();
    }

    [Fact]
    public async Task A_message_is_settled_only_when_downstream_settles_it()
    {
        var (_, probe) = Subscribe(credit: 10);
        var sender = await Router.SenderAsync(Address);
        var outcome = sender.SendWithOutcome("23");

        probe.Request(1);
        var received = probe.ExpectNext(Wait);
        Assert.Equal("23", received.Message.Body);
        Assert.False(outcome.IsCompleted);

        Assert.True(received.Accept());
        Assert.IsType<Accepted>(await outcome.WaitAsync(Wait));
        probe.Cancel();
    }

    [Fact]
    public async Task A_slow_consumer_is_never_more_than_the_credit_ahead()
    {
        var (metrics, probe) = Subscribe(credit: 10);
        var sender = await Router.SenderAsync(Address);
        for (var i = 0; i < 100; i++)
        {
            _ = sender.SendWithOutcome(i.ToString());
        }

        await Eventually.Assert(() => Assert.Equal(10, metrics.Received));
        probe.Request(4);
        var settled = probe.ExpectNextN(4, Wait);
        Assert.Equal(10, metrics.Received);

        // Settling half the window restores it: the peer may then send that much more, and no more.
        foreach (var message in settled.Take(4))
        {
            message.Accept();
        }

        probe.Request(1);
        probe.ExpectNext(Wait).Accept();
        await Eventually.Assert(() => Assert.Equal(15, metrics.Received));
        Assert.True(metrics.Received - metrics.Accepted <= 10);
        probe.Cancel();
    }

    [Fact]
    public async Task A_rejection_carries_its_reason_to_the_sender()
    {
        var (metrics, probe) = Subscribe(credit: 10);
        var sender = await Router.SenderAsync(Address);
        var outcome = sender.SendWithOutcome("hot");

        probe.Request(1);
        Assert.True(probe.ExpectNext(Wait).Reject("temperature 'hot' is not a number"));

        var rejected = Assert.IsType<Rejected>(await outcome.WaitAsync(Wait));
        Assert.Equal("temperature 'hot' is not a number", rejected.Error.Description);
        Assert.Equal(1, metrics.Rejected);
        probe.Cancel();
    }

    [Fact]
    public async Task A_message_settles_only_once()
    {
        var (_, probe) = Subscribe(credit: 10);
        var sender = await Router.SenderAsync(Address);
        _ = sender.SendWithOutcome("23");

        probe.Request(1);
        var received = probe.ExpectNext(Wait);
        Assert.True(received.Accept());
        Assert.False(received.Reject("too late"));
        probe.Cancel();
    }

    [Fact]
    public async Task Cancelling_downstream_detaches_the_link()
    {
        var (_, probe) = Subscribe(credit: 10);
        await Eventually.Assert(() => Assert.Equal(1, Router.Stats(Address).Consumers));

        probe.Cancel();

        await Eventually.Assert(() => Assert.Equal(0, Router.Stats(Address).Consumers));
    }

    [Fact]
    public async Task Cancelled_it_keeps_its_link_until_what_it_pushed_is_settled_so_a_late_acceptance_still_counts()
    {
        var received = CreateTestProbe();
        var killSwitch = RunStoppable(Settings, received);
        var sender = await Router.SenderAsync(Address);
        var outcome = sender.SendWithOutcome("21");
        var pushed = received.ExpectMsg<ReceivedMessage>(Wait);

        // Downstream stops (as an aggregator that leaves), then settles the last reading it took.
        killSwitch.Shutdown();
        received.ExpectMsg("done");
        Assert.Equal(1, Router.Stats(Address).Consumers);
        pushed.Accept();

        Assert.IsType<Accepted>(await outcome.WaitAsync(Wait));
        await Eventually.Assert(() => Assert.Equal(0, Router.Stats(Address).Consumers));
    }

    [Fact]
    public async Task Stopped_with_messages_unsettled_it_hands_them_back_as_modified_for_another_consumer()
    {
        var received = CreateTestProbe();
        var killSwitch = RunStoppable(Settings with { SettleTimeout = TimeSpan.FromMilliseconds(200) }, received);
        var sender = await Router.SenderAsync(Address);
        var outcome = sender.SendWithOutcome("21");
        received.ExpectMsg<ReceivedMessage>(Wait);

        // Downstream stops and never settles what it took, as a node that dies mid-window.
        killSwitch.Shutdown();

        var modified = Assert.IsType<Modified>(await outcome.WaitAsync(Wait));
        Assert.True(modified.DeliveryFailed);
        await Eventually.Assert(() => Assert.Equal(0, Router.Stats(Address).Consumers));
    }

    [Fact]
    public void An_invalid_credit_fails_at_creation_and_names_the_setting()
    {
        var error = Assert.Throws<AmqpSettingsException>(
            () => Reading(Settings with { Credit = 0 }));
        Assert.Equal("Credit", error.Setting);
        Assert.Contains("Credit", error.Message);
    }
}
