using ActorDemo.Amqp;
using ActorDemo.Readings;
using ActorDemo.Testing;
using Akka.Streams.Dsl;
using Amqp.Framing;
using Xunit;
using Xunit.Abstractions;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator.Tests;

/// <summary>The reporter with real deliveries: readings sent through a real router, held unsettled by the reporter.</summary>
public sealed class WindowReporterSpecs(ITestOutputHelper output) : RouterSpec(output)
{
    private const string Source = "amqp://127.0.0.1:5672/temperature";
    private readonly ShareJournal _journal = new(Directory.CreateTempSubdirectory("actordemo-spec-").FullName, Source);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_journal.Path)!, recursive: true);
    }

    private static readonly WindowInterval Interval = WindowInterval.Containing(new DateTimeOffset(2026, 11, 25, 7, 40, 5, TimeSpan.Zero), TimeSpan.FromSeconds(5));
    private static readonly Address Node = new("akka.tcp", "actordemo", "127.0.0.1", 4053);
    private static readonly Address Other = new("akka.tcp", "actordemo", "127.0.0.1", 4054);

    [Fact]
    public async Task Readings_are_accepted_as_soon_as_the_singleton_acknowledges_a_snapshot_that_covers_them_before_the_window_closes()
    {
        var (outcomes, deliveries) = await ReadingsThroughTheRouter(2);
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));

        reporter.Tell(Share(deliveries, count: 2, closed: false));
        var partial = singleton.ExpectMsg<PartialWindow>();
        Assert.Equal((Node, Interval.Index, 2, 23.0, 1L, false), (partial.Node, partial.Interval, partial.Count, partial.Max, partial.Seq, partial.Closed));
        Assert.All(deliveries, d => Assert.False(d.IsSettled));

        reporter.Tell(new PartialAcknowledged(Node, Interval.Index, partial.Seq, 5, Emitted: false), singleton);

        Assert.All(await Task.WhenAll(outcomes).WaitAsync(Wait), o => Assert.IsType<Accepted>(o));
    }

    [Fact]
    public async Task Readings_of_a_later_snapshot_than_the_one_acknowledged_stay_unsettled()
    {
        var (_, deliveries) = await ReadingsThroughTheRouter(2);
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));
        reporter.Tell(Share([deliveries[0]], count: 1, closed: false));
        var first = singleton.ExpectMsg<PartialWindow>();
        reporter.Tell(Share([deliveries[1]], count: 2, closed: false));
        singleton.ExpectMsg<PartialWindow>();

        reporter.Tell(new PartialAcknowledged(Node, Interval.Index, first.Seq, 5, Emitted: false), singleton);

        AwaitAssert(() => Assert.True(deliveries[0].IsSettled));
        Assert.False(deliveries[1].IsSettled);
    }

    [Fact]
    public async Task An_acknowledgement_from_an_incarnation_older_than_the_newest_seen_settles_nothing()
    {
        var (_, deliveries) = await ReadingsThroughTheRouter(1);
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));
        reporter.Tell(new ConfirmIncarnation(10, 1, DateTimeOffset.UnixEpoch), singleton);
        singleton.ExpectMsg<IncarnationConfirmed>();
        reporter.Tell(Share(deliveries, count: 1, closed: false));
        var partial = singleton.ExpectMsg<PartialWindow>();

        reporter.Tell(new PartialAcknowledged(Node, Interval.Index, partial.Seq, 9, Emitted: false), singleton);
        reporter.Tell(new ConfirmIncarnation(9, 1, DateTimeOffset.UnixEpoch), singleton);

        Assert.Equal(10, singleton.ExpectMsg<IncarnationSuperseded>().Newest);
        Assert.False(deliveries[0].IsSettled);
    }

    [Fact]
    public async Task A_new_incarnation_is_sent_the_latest_snapshot_of_every_window_not_yet_emitted()
    {
        var (_, deliveries) = await ReadingsThroughTheRouter(1);
        var (singleton, successor) = (CreateTestProbe(), CreateTestProbe());
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));
        reporter.Tell(Share(deliveries, count: 1, closed: true));
        var partial = singleton.ExpectMsg<PartialWindow>();
        reporter.Tell(new PartialAcknowledged(Node, Interval.Index, partial.Seq, 5, Emitted: false), singleton);

        reporter.Tell(new ConfirmIncarnation(6, 1, DateTimeOffset.UnixEpoch), successor);

        Assert.Equal(partial, successor.ExpectMsg<PartialWindow>());
        Assert.Equal(new IncarnationConfirmed(6, 1, -1), successor.ExpectMsg<IncarnationConfirmed>());
    }

    [Fact]
    public void A_copy_held_for_the_singletons_node_goes_to_a_new_incarnation_until_its_window_is_emitted()
    {
        var (singleton, successor, next) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));
        var held = new PartialWindow(Other, Interval.Index, Interval.Start, Interval.End, 24, "sensor-b-0001", 7, 0, Interval.Start, 3, Closed: false);

        reporter.Tell(new WitnessPartial(held, 5), singleton);
        Assert.Equal(new PartialWitnessed(Other, Interval.Index, 3, 5), singleton.ExpectMsg<PartialWitnessed>());
        reporter.Tell(new ConfirmIncarnation(6, 1, DateTimeOffset.UnixEpoch), successor);
        Assert.Equal(held, successor.ExpectMsg<PartialWindow>());
        successor.ExpectMsg<IncarnationConfirmed>();

        reporter.Tell(new WindowEmitted(Interval.Index, 6), successor);
        reporter.Tell(new ConfirmIncarnation(7, 1, DateTimeOffset.UnixEpoch), next);

        Assert.Equal(Interval.Index, next.ExpectMsg<IncarnationConfirmed>().LastEmitted);
        next.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_snapshot_is_sent_again_until_it_is_acknowledged()
    {
        var (_, deliveries) = await ReadingsThroughTheRouter(1);
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal, TimeSpan.FromMilliseconds(100)));

        reporter.Tell(Share(deliveries, count: 1, closed: true));
        var partial = singleton.ExpectMsg<PartialWindow>();
        Assert.Equal(partial, singleton.ExpectMsg<PartialWindow>());
        reporter.Tell(new PartialAcknowledged(Node, Interval.Index, partial.Seq, 5, Emitted: true), singleton);

        // Once the reporter has handled the acknowledgement, copies sent before it are all in the probe's queue.
        reporter.Tell(WindowReporterProtocol.Drain.Instance);
        ExpectMsg<WindowReporterProtocol.Drained>();
        while (singleton.HasMessages)
        {
            singleton.ExpectMsg<PartialWindow>();
        }

        singleton.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Draining_waits_until_every_reading_is_settled()
    {
        var (_, deliveries) = await ReadingsThroughTheRouter(1);
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));
        reporter.Tell(Share(deliveries, count: 1, closed: true));
        var partial = singleton.ExpectMsg<PartialWindow>();

        reporter.Tell(WindowReporterProtocol.Drain.Instance);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        reporter.Tell(new PartialAcknowledged(Node, Interval.Index, partial.Seq, 5, Emitted: false), singleton);

        ExpectMsg<WindowReporterProtocol.Drained>();
    }

    [Fact]
    public void A_lone_singletons_copy_of_this_nodes_share_is_on_disk_before_it_is_confirmed()
    {
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));
        var own = Kept(seq: 3, count: 7, closed: false);

        reporter.Tell(new WitnessPartial(own, 5), singleton);

        Assert.Equal(new PartialWitnessed(Node, Interval.Index, 3, 5), singleton.ExpectMsg<PartialWitnessed>());
        Assert.Equal([own], _journal.Load(Node).Shares);
    }

    [Fact]
    public void A_kept_share_leaves_the_disk_once_its_window_is_emitted()
    {
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));
        reporter.Tell(new WitnessPartial(Kept(seq: 3, count: 7, closed: true), 5), singleton);
        singleton.ExpectMsg<PartialWitnessed>();

        reporter.Tell(new WindowEmitted(Interval.Index, 5), singleton);

        AwaitAssert(() => Assert.False(File.Exists(_journal.Path)));
    }

    [Fact]
    public void What_a_previous_run_kept_is_counted_again_and_added_to_this_runs_share_of_the_same_window()
    {
        _journal.Save([Kept(seq: 40, count: 5, closed: false) with { Max = 30, DeviceId = "sensor-a-0009" }], []);
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));

        reporter.Tell(Share([], count: 2, closed: true));

        var partial = singleton.ExpectMsg<PartialWindow>();
        Assert.Equal((7, 30.0, "sensor-a-0009", true), (partial.Count, partial.Max, partial.DeviceId, partial.Closed));
        Assert.True(partial.Seq > 40);
    }

    [Fact]
    public void A_window_a_previous_run_kept_goes_to_the_singleton_as_this_nodes_closed_share()
    {
        var kept = Kept(seq: 40, count: 5, closed: false);
        _journal.Save([kept], []);
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));

        reporter.Tell(new ConfirmIncarnation(5, 1, DateTimeOffset.UnixEpoch), singleton);

        Assert.Equal(kept with { Closed = true }, singleton.ExpectMsg<PartialWindow>());
    }

    [Fact]
    public void What_a_node_reading_another_source_kept_is_not_counted_and_is_moved_aside()
    {
        new ShareJournal(Path.GetDirectoryName(_journal.Path)!, "amqp://127.0.0.1:5673/temperature").Save([Kept(seq: 40, count: 5, closed: false)], []);
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));

        reporter.Tell(Share([], count: 2, closed: true));

        Assert.Equal(2, singleton.ExpectMsg<PartialWindow>().Count);
        Assert.False(File.Exists(_journal.Path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(_journal.Path)!, "*.other-source"));
    }

    [Fact]
    public void A_lone_singletons_decision_is_on_disk_before_it_is_confirmed_and_leaves_it_once_the_window_went_out()
    {
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));
        var decision = Decision();

        reporter.Tell(new WitnessDecision(Interval.Index, decision, 5), singleton);

        Assert.Equal(new DecisionWitnessed(Interval.Index, 5), singleton.ExpectMsg<DecisionWitnessed>());
        AssertSameDecision(decision, Assert.Single(_journal.Load(Node).Decisions).Decision);
        reporter.Tell(new WindowEmitted(Interval.Index, 5), singleton);
        AwaitAssert(() => Assert.False(File.Exists(_journal.Path)));
    }

    [Fact]
    public void A_decision_a_previous_run_kept_goes_to_the_next_singleton_as_it_stands()
    {
        var decision = Decision();
        _journal.Save([], [new HeldDecision(Interval.Index, decision)]);
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, _journal));

        reporter.Tell(new ConfirmIncarnation(5, 1, DateTimeOffset.UnixEpoch), singleton);

        var held = singleton.FishForMessage<HeldDecision>(_ => true);
        Assert.Equal(Interval.Index, held.Interval);
        AssertSameDecision(decision, held.Decision);
    }

    private static void AssertSameDecision(RecordedWindow expected, RecordedWindow actual)
    {
        Assert.Equal(expected.Window, actual.Window);
        Assert.Equal(expected.Partials, actual.Partials);
    }

    /// <summary>A window as a singleton decided it from this node's share alone.</summary>
    private static RecordedWindow Decision() =>
        new(new WindowMaximum(Interval.Start, Interval.End, 24, "sensor-a-0001", 7, 1, 4), [Kept(seq: 3, count: 7, closed: true)], 0);

    /// <summary>A share of this node's, as the singleton asks its node to keep it.</summary>
    private static PartialWindow Kept(long seq, int count, bool closed) =>
        new(Node, Interval.Index, Interval.Start, Interval.End, 24, "sensor-a-0001", count, 0, Interval.Start, seq, closed);

    private static WindowShare Share(IReadOnlyList<ReceivedMessage> deliveries, int count, bool closed) =>
        new(Interval, new ReadingMaximum(23, TemperatureReading.UnknownDevice), count, 0, deliveries, [], closed, Interval.End);

    /// <summary>Readings sent through the router and taken, unsettled, by a source: a share's deliveries.</summary>
    private async Task<(IReadOnlyList<Task<Outcome>> Outcomes, IReadOnlyList<ReceivedMessage> Deliveries)> ReadingsThroughTheRouter(int count)
    {
        // The source keeps running, so its link stays attached while the reporter holds the deliveries.
        var received = CreateTestProbe();
        AmqpSource.Create(new AmqpSourceSettings(Router.Endpoint, Address)).RunWith(Sink.ActorRef<ReceivedMessage>(received, "done", _ => "failed"), Materializer);
        var sender = await Router.SenderAsync(Address);
        var outcomes = Enumerable.Range(0, count).Select(i => sender.SendWithOutcome($"{21 + (2 * i)}")).ToList();
        var deliveries = outcomes.Select(_ => received.ExpectMsg<ReceivedMessage>(Wait)).ToList();
        return (outcomes, deliveries);
    }
}
