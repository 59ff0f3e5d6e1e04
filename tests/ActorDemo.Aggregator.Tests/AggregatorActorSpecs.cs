using ActorDemo.Readings;
using Akka;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator.Tests;

/// <summary>
/// The singleton's merge, on a real cluster of aggregator nodes (actor systems in this process,
/// joined over real remoting on loopback); the partials come from probes that stand for the nodes' reporters.
/// </summary>
public sealed class AggregatorActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(NodeConfig, "actordemo-test", output)
{
    private static readonly Config NodeConfig = ConfigurationFactory.ParseString("""
        akka.loglevel = INFO
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster { roles = [aggregator], gossip-interval = 200ms, leader-actions-interval = 200ms }
        """);

    private static readonly TimeSpan Length = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    private static readonly WindowInterval First = WindowInterval.Containing(new DateTimeOffset(2026, 11, 25, 7, 40, 5, TimeSpan.Zero), Length);
    private readonly List<ActorSystem> _others = [];
    private readonly Dictionary<ActorSystem, ShareJournal> _journals = [];
    private DateTimeOffset _now = First.End;

    protected override void AfterAll()
    {
        foreach (var other in _others)
        {
            other.Terminate().Wait(TimeSpan.FromSeconds(10));
        }

        foreach (var journal in _journals.Values)
        {
            Directory.Delete(Path.GetDirectoryName(journal.Path)!, recursive: true);
        }

        base.AfterAll();
    }

    [Fact]
    public void Partials_of_two_nodes_become_one_maximum_once_both_reported()
    {
        var (a, b) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10);
        var (reporterA, reporterB) = (CreateTestProbe(), CreateTestProbe());

        aggregator.Tell(Partial(a, First, 21.5, "sensor-a-0001", 300), reporterA);
        aggregator.Tell(new GetHistory(10));
        Assert.Empty(ExpectMsg<History>().Windows);

        aggregator.Tell(Partial(b, First, 24.9, "sensor-b-0003", 700), reporterB);

        var window = subscriber.ExpectMsg<WindowRecorded>().Window.Window;
        Assert.Equal((First.Start, First.End, 24.9, "sensor-b-0003", 1000, 2), (window.WindowStart, window.WindowEnd, window.Max, window.DeviceId, window.Count, window.Nodes));
        Assert.Equal(First.Index, EmittedAcknowledgement(reporterA).Interval);
        Assert.Equal(First.Index, EmittedAcknowledgement(reporterB).Interval);
    }

    [Fact]
    public void Partials_of_three_nodes_are_merged_when_the_last_one_reports()
    {
        var (a, b, c) = (Self(), Join(), Join());
        var (aggregator, subscriber) = Start(history: 10);

        aggregator.Tell(Partial(a, First, 22, "sensor-a-0001", 10), ActorRefs.Nobody);
        aggregator.Tell(Partial(b, First, 23, "sensor-b-0001", 20), ActorRefs.Nobody);
        aggregator.Tell(new GetHistory(10));
        Assert.Empty(ExpectMsg<History>().Windows);
        aggregator.Tell(Partial(c, First, 21, "sensor-c-0001", 30), ActorRefs.Nobody);

        var recorded = subscriber.ExpectMsg<WindowRecorded>().Window;
        Assert.Equal((23.0, "sensor-b-0001", 60, 3), (recorded.Window.Max, recorded.Window.DeviceId, recorded.Window.Count, recorded.Window.Nodes));
        Assert.Equal(new[] { a, b, c }.Order(), recorded.Partials.Select(p => p.Node).Order());
    }

    [Fact]
    public void A_node_that_has_not_reported_is_waited_for_until_the_grace_period_is_over()
    {
        var (a, _) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10);
        var reporterA = CreateTestProbe();

        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), reporterA);
        _now = First.End + Grace;

        var window = subscriber.ExpectMsg<WindowRecorded>(TimeSpan.FromSeconds(5)).Window.Window;
        Assert.Equal((21.0, 10, 1), (window.Max, window.Count, window.Nodes));
        EmittedAcknowledgement(reporterA);
    }

    [Fact]
    public void A_node_that_began_sharing_a_window_is_waited_for_though_it_came_Up_only_after_the_window_ended()
    {
        var a = Self();
        var (aggregator, subscriber) = Start(history: 10);
        _now = First.End + TimeSpan.FromSeconds(1);
        var b = Join();

        aggregator.Tell(Partial(b, First, 25, "sensor-b-0001", 4, closed: false), ActorRefs.Nobody);
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);
        subscriber.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        aggregator.Tell(Partial(b, First, 25, "sensor-b-0001", 5, seq: 2), ActorRefs.Nobody);

        var window = subscriber.ExpectMsg<WindowRecorded>().Window.Window;
        Assert.Equal((25.0, 15, 2), (window.Max, window.Count, window.Nodes));
    }

    [Fact]
    public void A_node_whose_clock_lags_is_waited_for_its_lag_beyond_the_grace_period()
    {
        var (a, b) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10);
        var lag = TimeSpan.FromSeconds(3);
        _now = First.Start + TimeSpan.FromSeconds(1);
        // Its open share, cut by its clock three seconds behind this one's.
        aggregator.Tell(Partial(b, First, 25, "sensor-b-0001", 4, closed: false) with { ClosedAt = _now - lag }, ActorRefs.Nobody);
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);
        // Answered behind the shares: the lag was measured on their arrival, before the clock moves on.
        aggregator.Tell(GetSummary.Instance);
        Assert.Equal(lag.TotalSeconds, Assert.Single(ExpectMsg<Summary>().ClockLags, l => l.Node == b.ToString()).Seconds, precision: 1);

        _now = First.End + Grace + TimeSpan.FromSeconds(1);
        subscriber.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        aggregator.Tell(Partial(b, First, 25, "sensor-b-0001", 5, seq: 2) with { ClosedAt = _now - lag }, ActorRefs.Nobody);

        Assert.Equal(2, subscriber.ExpectMsg<WindowRecorded>().Window.Window.Nodes);
    }

    [Fact]
    public void A_lagging_node_that_never_closes_its_share_is_waited_for_no_longer_than_its_lag_and_the_grace()
    {
        var (a, b) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10);
        _now = First.Start + TimeSpan.FromSeconds(1);
        aggregator.Tell(Partial(b, First, 25, "sensor-b-0001", 4, closed: false) with { ClosedAt = _now - TimeSpan.FromSeconds(3) }, ActorRefs.Nobody);
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);
        aggregator.Tell(GetSummary.Instance);
        ExpectMsg<Summary>();

        _now = First.End + TimeSpan.FromSeconds(3) + Grace;

        Assert.Equal(14, subscriber.ExpectMsg<WindowRecorded>(TimeSpan.FromSeconds(5)).Window.Window.Count);
    }

    [Fact]
    public void A_partial_after_its_window_was_emitted_is_counted_as_late_and_added_to_the_history()
    {
        var (a, b) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10);
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);
        _now = First.End + Grace;
        subscriber.ExpectMsg<WindowRecorded>(TimeSpan.FromSeconds(5));
        var reporterB = CreateTestProbe();

        EventFilter.Warning(contains: "came after").ExpectOne(() => aggregator.Tell(Partial(b, First, 25, "sensor-b-0001", 5), reporterB));

        Assert.True(reporterB.ExpectMsg<PartialAcknowledged>().Emitted);
        aggregator.Tell(GetSummary.Instance);
        var summary = ExpectMsg<Summary>();
        Assert.Equal(1, summary.LatePartials);
        Assert.Equal((25.0, 15, 2, 1), (summary.Latest!.Window.Max, summary.Latest.Window.Count, summary.Latest.Window.Nodes, summary.Latest.Late));
    }

    [Fact]
    public void A_copy_of_a_recorded_partial_sent_again_after_the_window_went_out_is_not_late()
    {
        var a = Self();
        var (aggregator, subscriber) = Start(history: 10);
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);
        subscriber.ExpectMsg<WindowRecorded>(TimeSpan.FromSeconds(5));
        var reporter = CreateTestProbe();

        EventFilter.Warning(contains: "came after").Expect(0, () => aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), reporter));

        Assert.True(reporter.ExpectMsg<PartialAcknowledged>().Emitted);
        aggregator.Tell(GetSummary.Instance);
        var summary = ExpectMsg<Summary>();
        Assert.Equal((0, 10), (summary.LatePartials, summary.Latest!.Window.Count));
    }

    [Fact]
    public void A_node_that_left_is_not_waited_for()
    {
        var a = Self();
        var leaving = JoinSystem();
        var (aggregator, subscriber) = Start(history: 10);

        Cluster.Get(leaving).Leave(Cluster.Get(leaving).SelfAddress);
        AwaitAssert(() => Assert.Single(Cluster.Get(Sys).State.Members), TimeSpan.FromSeconds(20));
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);

        Assert.Equal(1, subscriber.ExpectMsg<WindowRecorded>().Window.Window.Nodes);
    }

    [Fact]
    public void A_partial_sent_again_is_counted_once()
    {
        var (a, b) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10);

        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);
        aggregator.Tell(Partial(b, First, 22, "sensor-b-0001", 10), ActorRefs.Nobody);

        var window = subscriber.ExpectMsg<WindowRecorded>().Window.Window;
        Assert.Equal((20, 2), (window.Count, window.Nodes));
    }

    [Fact]
    public void Windows_are_emitted_in_order_and_a_window_without_readings_is_not()
    {
        var a = Self();
        var (aggregator, subscriber) = Start(history: 10);

        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);
        aggregator.Tell(Partial(a, First.Next, null, null, 0), ActorRefs.Nobody);
        aggregator.Tell(Partial(a, First.Next.Next, 23, "sensor-a-0001", 10), ActorRefs.Nobody);

        Assert.Equal(First.Start, subscriber.ExpectMsg<WindowRecorded>().Window.Window.WindowStart);
        Assert.Equal(First.Next.Next.Start, subscriber.ExpectMsg<WindowRecorded>().Window.Window.WindowStart);
    }

    [Fact]
    public void After_a_hand_over_an_older_window_this_singleton_never_emitted_still_goes_out()
    {
        var a = Self();
        var (aggregator, subscriber) = Start(history: 10);

        // A fresh singleton hears of a new window first, then of an older one that its predecessor never emitted.
        aggregator.Tell(Partial(a, First.Next, 22, "sensor-a-0001", 10), ActorRefs.Nobody);
        subscriber.ExpectMsg<WindowRecorded>();
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);

        Assert.Equal(First.Start, subscriber.ExpectMsg<WindowRecorded>().Window.Window.WindowStart);
        aggregator.Tell(GetSummary.Instance);
        Assert.Equal(0, ExpectMsg<Summary>().LatePartials);
    }

    [Fact]
    public void The_history_keeps_the_latest_windows_only()
    {
        var a = Self();
        var (aggregator, subscriber) = Start(history: 3);
        var interval = First;
        for (var i = 0; i < 5; i++, interval = interval.Next)
        {
            aggregator.Tell(Partial(a, interval, 20 + i, "sensor-a-0001", 1), ActorRefs.Nobody);
            subscriber.ExpectMsg<WindowRecorded>();
        }

        aggregator.Tell(new GetHistory(100));
        Assert.Equal([22.0, 23, 24], ExpectMsg<History>().Windows.Select(w => w.Window.Max));
    }

    [Fact]
    public void Each_window_goes_to_max_and_to_the_log()
    {
        var a = Self();
        var maxima = CreateTestProbe();
        var aggregator = Sys.ActorOf(AggregatorActor.Props(new AggregatorSettings(10, Grace), Opening(Sink.ActorRef<WindowMaximum>(maxima, "done", _ => "failed")), () => _now));

        EventFilter.Info(contains: "max 24.9 °C (sensor-a-0003)  1,000 readings from 1 node").ExpectOne(() =>
            aggregator.Tell(Partial(a, First, 24.9, "sensor-a-0003", 1000), ActorRefs.Nobody));

        Assert.Equal(24.9, maxima.ExpectMsg<WindowMaximum>().Max);
    }

    [Fact]
    public void The_log_line_reads_like_the_one_operators_know() =>
        Assert.Matches(
            @"^\d\d:\d\d:05-\d\d:\d\d:10  max 24\.9 °C \(sensor-a-0003\)  1,000 readings from 2 nodes$",
            new WindowMaximum(First.Start, First.End, 24.9, "sensor-a-0003", 1000, 2, 1).Describe());

    [Fact]
    public void An_open_share_of_another_node_is_acknowledged_at_once_before_its_window_closes()
    {
        var (_, b) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10);
        var reporterB = CreateTestProbe();

        aggregator.Tell(Partial(b, First, 22, "sensor-b-0001", 10, seq: 4, closed: false), reporterB);

        var acknowledged = reporterB.ExpectMsg<PartialAcknowledged>();
        Assert.Equal((b, First.Index, 4L, false), (acknowledged.Node, acknowledged.Interval, acknowledged.Seq, acknowledged.Emitted));
        subscriber.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void The_singletons_own_share_is_acknowledged_once_another_aggregator_node_holds_a_copy()
    {
        var (a, b) = (Self(), JoinSystem());
        var (aggregator, _) = Start(history: 10);
        var reporterA = CreateTestProbe();
        var share = Partial(a, First, 22, "sensor-a-0001", 10, seq: 4, closed: false);

        aggregator.Tell(share, reporterA);

        var acknowledged = reporterA.ExpectMsg<PartialAcknowledged>();
        Assert.Equal((a, 4L, false), (acknowledged.Node, acknowledged.Seq, acknowledged.Emitted));
        // The copy is b's: a later incarnation asking b's reporter is sent it.
        var successor = CreateTestProbe(b);
        b.ActorSelection("/user/" + WindowReporter.ActorName).Tell(new ConfirmIncarnation(long.MaxValue, 1, DateTimeOffset.UnixEpoch), successor);
        Assert.Equal(share, successor.FishForMessage<PartialWindow>(_ => true));
    }

    [Fact]
    public void A_lone_aggregator_acknowledges_its_own_open_share_once_its_node_kept_it_on_disk()
    {
        var a = Self();
        var (aggregator, subscriber) = Start(history: 10);
        var reporterA = CreateTestProbe();
        var share = Partial(a, First, 22, "sensor-a-0001", 10, seq: 1, closed: false);

        aggregator.Tell(share, reporterA);

        var acknowledged = reporterA.ExpectMsg<PartialAcknowledged>();
        Assert.Equal((1L, false), (acknowledged.Seq, acknowledged.Emitted));
        Assert.Equal([share], _journals[Sys].Load(a).Shares);
        subscriber.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void The_window_and_the_summary_carry_the_singletons_incarnation()
    {
        var a = Self();
        var (aggregator, subscriber) = Start(history: 10);

        aggregator.Tell(Partial(a, First, 22, "sensor-a-0001", 10), ActorRefs.Nobody);

        var window = subscriber.ExpectMsg<WindowRecorded>().Window.Window;
        aggregator.Tell(GetSummary.Instance);
        Assert.True(window.Incarnation > 0);
        Assert.Equal(window.Incarnation, ExpectMsg<Summary>().Incarnation);
    }

    [Fact]
    public void A_new_singleton_takes_an_incarnation_above_every_one_the_nodes_have_seen()
    {
        Self();
        var seen = DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeMilliseconds();
        Sys.ActorSelection("/user/" + WindowReporter.ActorName).Tell(new ConfirmIncarnation(seen, 1, DateTimeOffset.UnixEpoch), CreateTestProbe());

        var (aggregator, _) = Start(history: 10);

        AwaitAssert(() =>
        {
            aggregator.Tell(GetSummary.Instance);
            Assert.True(ExpectMsg<Summary>().Incarnation > seen);
        });
    }

    [Fact]
    public void A_singleton_superseded_by_a_newer_incarnation_acknowledges_and_emits_nothing_more()
    {
        var (a, b) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10);
        var incarnation = ConfirmedIncarnation(aggregator);
        var reporterB = CreateTestProbe();

        // A newer singleton somewhere asked b's reporter: from then on b refuses to confirm this one.
        EventFilter.Warning(contains: "was superseded").ExpectOne(
            TimeSpan.FromSeconds(5),
            () => Sys.ActorSelection(new RootActorPath(b) / "user" / WindowReporter.ActorName).Tell(new ConfirmIncarnation(incarnation + 1, 1, DateTimeOffset.UnixEpoch), CreateTestProbe()));
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10), ActorRefs.Nobody);
        aggregator.Tell(Partial(b, First, 22, "sensor-b-0001", 10), reporterB);

        reporterB.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        subscriber.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_window_goes_out_only_once_another_aggregator_node_holds_its_decision()
    {
        var a = Self();
        var witness = CreateTestProbe();
        var b = JoinWitness(witness);
        var (aggregator, subscriber) = Start(history: 10);
        aggregator.Tell(Partial(a, First, 22, "sensor-a-0001", 10), ActorRefs.Nobody);
        aggregator.Tell(Partial(b, First, 23, "sensor-b-0001", 5), ActorRefs.Nobody);

        var asked = witness.FishForMessage<WitnessDecision>(_ => true);
        aggregator.Tell(new GetHistory(10));
        Assert.Empty(ExpectMsg<History>().Windows);
        Assert.Equal((23.0, 15), (asked.Decision.Window.Max, asked.Decision.Window.Count));
        witness.Reply(new DecisionWitnessed(asked.Interval, asked.Incarnation));

        Assert.Equal(asked.Decision.Window, subscriber.ExpectMsg<WindowRecorded>().Window.Window);
    }

    [Fact]
    public void The_nodes_hold_a_windows_decision_until_max_accepted_it()
    {
        var a = Self();
        var witness = CreateTestProbe();
        var b = JoinWitness(witness);
        var acceptance = new MaximaAcceptance();
        var (aggregator, subscriber) = Start(history: 10, acceptance);
        aggregator.Tell(Partial(a, First, 22, "sensor-a-0001", 10), ActorRefs.Nobody);
        aggregator.Tell(Partial(b, First, 23, "sensor-b-0001", 5), ActorRefs.Nobody);
        var asked = witness.FishForMessage<WitnessDecision>(_ => true);
        witness.Reply(new DecisionWitnessed(asked.Interval, asked.Incarnation));
        var window = subscriber.ExpectMsg<WindowRecorded>().Window.Window;

        witness.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        acceptance.OnAccepted(ReadingCodec.EncodeWindow(window));

        Assert.Equal(new WindowEmitted(First.Index, asked.Incarnation), witness.FishForMessage<WindowEmitted>(_ => true));
    }

    [Fact]
    public void A_window_a_predecessor_decided_goes_out_as_it_was_decided_not_as_the_shares_now_add_up()
    {
        var (a, b) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10);
        ConfirmedIncarnation(aggregator);
        var decided = new RecordedWindow(new WindowMaximum(First.Start, First.End, 22, "sensor-a-0001", 15, 2, Incarnation: 7), [Partial(a, First, 22, "sensor-a-0001", 10), Partial(b, First, 21, "sensor-b-0001", 5)], 0);

        aggregator.Tell(Partial(a, First, 22, "sensor-a-0001", 10), ActorRefs.Nobody);
        aggregator.Tell(new HeldDecision(First.Index, decided), ActorRefs.Nobody);
        aggregator.Tell(Partial(b, First, 21, "sensor-b-0001", 9, seq: 2), ActorRefs.Nobody);

        Assert.Equal(decided.Window, subscriber.ExpectMsg<WindowRecorded>().Window.Window);
        // b's later share is late: in the history, not on 'max' again.
        AwaitAssert(() =>
        {
            aggregator.Tell(new GetHistory(10));
            var recorded = Assert.Single(ExpectMsg<History>().Windows);
            Assert.Equal((1, 19, 7L), (recorded.Late, recorded.Window.Count, recorded.Window.Incarnation));
        });
    }

    [Fact]
    public void By_event_time_a_window_goes_out_once_the_watermark_passed_its_end_and_the_nodes_sharing_it_closed_their_shares()
    {
        var (a, b) = (Self(), Join());
        var (aggregator, subscriber) = Start(history: 10, eventTime: true);
        _now = First.End + TimeSpan.FromMinutes(1);

        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10) with { Newest = First.Start.AddSeconds(4) }, ActorRefs.Nobody);
        aggregator.Tell(Partial(b, First.Next, 22, "sensor-b-0001", 5, closed: false) with { Newest = First.Next.Start.AddSeconds(1) }, ActorRefs.Nobody);
        subscriber.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        aggregator.Tell(Partial(b, First.Next, 22, "sensor-b-0001", 9, seq: 2, closed: false) with { Newest = First.Next.Start.AddSeconds(2) }, ActorRefs.Nobody);

        var window = subscriber.ExpectMsg<WindowRecorded>().Window.Window;
        Assert.Equal((First.Start, 21.0, 10, 1), (window.WindowStart, window.Max, window.Count, window.Nodes));
    }

    [Fact]
    public void By_event_time_a_share_of_a_window_older_than_one_sent_is_late_and_never_sent_out_of_order()
    {
        var a = Self();
        var (aggregator, subscriber) = Start(history: 10, eventTime: true);
        _now = First.End + TimeSpan.FromMinutes(1);
        aggregator.Tell(Partial(a, First, 21, "sensor-a-0001", 10) with { Newest = First.End.AddSeconds(3) }, ActorRefs.Nobody);
        Assert.Equal(First.Start, subscriber.ExpectMsg<WindowRecorded>().Window.Window.WindowStart);

        var earlier = new WindowInterval(First.Index - 1, Length);
        aggregator.Tell(Partial(a, earlier, 30, "sensor-a-0002", 3) with { Newest = earlier.Start }, ActorRefs.Nobody);

        subscriber.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        aggregator.Tell(GetSummary.Instance);
        Assert.Equal((1L, 1L), ExpectMsg<Summary>() is var summary ? (summary.Windows, summary.LatePartials) : default);
    }

    [Fact]
    public void By_event_time_the_incarnation_checks_tell_the_nodes_the_watermark()
    {
        var a = Self();
        var watermark = new ClusterWatermark();
        var b = Cluster.Get(JoinSystem(node => node.ActorOf(
            WindowReporter.Props(ActorRefs.Nobody, Cluster.Get(node).SelfAddress, Journal(node), watermark: watermark),
            WindowReporter.ActorName))).SelfAddress;
        var (aggregator, _) = Start(history: 10, eventTime: true);
        _now = First.End + TimeSpan.FromMinutes(1);

        aggregator.Tell(Partial(b, First, 21, "sensor-b-0001", 10, closed: false) with { Newest = First.Start.AddSeconds(3) }, ActorRefs.Nobody);

        AwaitAssert(() => Assert.Equal(First.Start.AddSeconds(3) - Grace, watermark.Current));
    }

    private static PartialWindow Partial(Address node, WindowInterval interval, double? max, string? device, int count, long seq = 1, bool closed = true) =>
        new(node, interval.Index, interval.Start, interval.End, max, device, count, 0, interval.End, seq, closed);

    /// <summary>The acknowledgement that the window went out, after any given while it was open.</summary>
    private static PartialAcknowledged EmittedAcknowledgement(TestProbe reporter) =>
        reporter.FishForMessage<PartialAcknowledged>(acknowledged => acknowledged.Emitted);

    private long ConfirmedIncarnation(IActorRef aggregator)
    {
        long incarnation = 0;
        AwaitAssert(() =>
        {
            aggregator.Tell(GetSummary.Instance);
            incarnation = ExpectMsg<Summary>().Incarnation;
            Assert.True(incarnation > 0);
        });
        return incarnation;
    }

    /// <summary>How the hosting opens the stream to <c>max</c>, into <paramref name="sink"/>.</summary>
    private static Func<IMaterializer, ISourceQueueWithComplete<WindowMaximum>> Opening(Sink<WindowMaximum, NotUsed> sink) =>
        materializer => Source.Queue<WindowMaximum>(100, OverflowStrategy.DropHead).To(sink).Run(materializer);

    /// <param name="acceptance">Where <c>max</c>'s acceptances come from; none: no <c>max</c> at all.</param>
    /// <param name="eventTime">Windows by event time, with the grace period's length as the allowed lateness and the cluster never idle.</param>
    private (IActorRef Aggregator, TestProbe Subscriber) Start(int history, MaximaAcceptance? acceptance = null, bool eventTime = false)
    {
        var maxima = acceptance is null ? null : Opening(Sink.Ignore<WindowMaximum>().MapMaterializedValue(_ => NotUsed.Instance));
        var settings = new AggregatorSettings(history, Grace, eventTime ? new EventTimeSettings(Grace, TimeSpan.FromHours(1)) : null);
        var aggregator = Sys.ActorOf(AggregatorActor.Props(settings, maxima, () => _now, acceptance: acceptance));
        var subscriber = CreateTestProbe();
        aggregator.Tell(new SubscribeWindows(subscriber));
        return (aggregator, subscriber);
    }

    /// <summary>This test's own system forms a cluster of one aggregator node, with its reporter (which answers the singleton's incarnation checks).</summary>
    private Address Self()
    {
        StartReporter(Sys);
        var cluster = Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitAssert(() => Assert.Equal(MemberStatus.Up, cluster.SelfMember.Status), TimeSpan.FromSeconds(20));
        return cluster.SelfAddress;
    }

    private Address Join() => Cluster.Get(JoinSystem()).SelfAddress;

    /// <summary>Another aggregator node, joined and seen Up by this test's node, with a reporter of its own unless <paramref name="reporter"/> starts another.</summary>
    private ActorSystem JoinSystem(Action<ActorSystem>? reporter = null)
    {
        var other = ActorSystem.Create(Sys.Name, NodeConfig);
        _others.Add(other);
        (reporter ?? StartReporter)(other);
        Cluster.Get(other).Join(Cluster.Get(Sys).SelfAddress);
        var address = Cluster.Get(other).SelfAddress;
        AwaitAssert(
            () => Assert.Contains(Cluster.Get(Sys).State.Members, m => m.Address == address && m.Status == MemberStatus.Up),
            TimeSpan.FromSeconds(20));
        return other;
    }

    /// <summary>
    /// Another aggregator node whose reporter confirms every incarnation and passes all else to
    /// <paramref name="witness"/>, which answers for it (or not).
    /// </summary>
    private Address JoinWitness(TestProbe witness) =>
        Cluster.Get(JoinSystem(node => node.ActorOf(Props.Create(() => new ConfirmingWitness(witness)), WindowReporter.ActorName))).SelfAddress;

    private sealed class ConfirmingWitness : ReceiveActor
    {
        public ConfirmingWitness(IActorRef witness)
        {
            Receive<ConfirmIncarnation>(confirm => Sender.Tell(new IncarnationConfirmed(confirm.Incarnation, confirm.Round, -1)));
            ReceiveAny(message => witness.Forward(message));
        }
    }

    /// <summary>The node's reporter, with a journal in a folder of its own; the partials of these specs come from probes, so it sends none itself.</summary>
    private void StartReporter(ActorSystem node) =>
        node.ActorOf(WindowReporter.Props(ActorRefs.Nobody, Cluster.Get(node).SelfAddress, Journal(node)), WindowReporter.ActorName);

    private ShareJournal Journal(ActorSystem node) =>
        _journals[node] = new ShareJournal(Directory.CreateTempSubdirectory("actordemo-spec-").FullName, "amqp://127.0.0.1:5672/temperature");
}
