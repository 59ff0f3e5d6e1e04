using ActorDemo.Readings;
using Akka.Actor;

namespace ActorDemo.Aggregator;

/// <summary>A message that crosses nodes: <see cref="AggregatorMessageSerializer"/> writes it.</summary>
public interface IAggregatorMessage;

/// <summary>The protocol of <see cref="AggregatorActor"/>, the cluster singleton every aggregator node reports to.</summary>
public static class AggregatorProtocol
{
    /// <summary>
    /// An aggregator node's share of interval <paramref name="Interval"/> (k of [k·L, (k+1)·L)) as of
    /// its snapshot <paramref name="Seq"/>: cumulative, so the latest copy stands and a resent or stale
    /// one changes nothing. Acknowledging it lets the node settle every reading it counts.
    /// </summary>
    /// <param name="Max">None when the node had no reading in the interval; it reports all the same.</param>
    /// <param name="Seq">Grows with every snapshot the node sends, across windows.</param>
    /// <param name="Closed">The node's last share of the window.</param>
    /// <param name="ClosedAt">When the node cut this snapshot, by its own clock (for a closed share, when it closed).</param>
    /// <param name="Late">Of <paramref name="Count"/>, readings that came after the window had closed on the node (event time).</param>
    /// <param name="Newest">The newest timestamp among the readings counted: what moves the event-time watermark.</param>
    public sealed record PartialWindow(
        Address Node,
        long Interval,
        DateTimeOffset WindowStart,
        DateTimeOffset WindowEnd,
        double? Max,
        string? DeviceId,
        int Count,
        int Duplicates,
        DateTimeOffset ClosedAt,
        long Seq,
        bool Closed,
        int Late = 0,
        DateTimeOffset? Newest = null)
        : IAggregatorMessage
    {
        /// <summary>The share's highest reading with its device; none when it counted none. A method, so that it is no part of the wire form.</summary>
        public ReadingMaximum? Highest() => Max is { } max ? new ReadingMaximum(max, DeviceId!) : null;
    }

    /// <summary>
    /// Singleton incarnation <paramref name="Incarnation"/> holds <paramref name="Node"/>'s share of
    /// <paramref name="Interval"/> up to snapshot <paramref name="Seq"/> where a single failure cannot
    /// lose it: the node may settle the readings that snapshot covers.
    /// </summary>
    /// <param name="Emitted">The window went out with that share; nothing of it needs sending again.</param>
    public sealed record PartialAcknowledged(Address Node, long Interval, long Seq, long Incarnation, bool Emitted) : IAggregatorMessage;

    /// <summary>
    /// Asked of every aggregator node's reporter, several times a second: a singleton acknowledges
    /// and emits only while a majority of the aggregator nodes have answered
    /// <see cref="IncarnationConfirmed"/> lately, so a paused or cut-off one falls silent.
    /// </summary>
    /// <param name="SentAt">By the singleton's clock, which the nodes cut their windows by (<see cref="ClusterClock"/>).</param>
    /// <param name="Watermark">With windows by event time, the cluster's watermark: windows ending at or before it close (<see cref="ClusterWatermark"/>); none before the first reading.</param>
    public sealed record ConfirmIncarnation(long Incarnation, long Round, DateTimeOffset SentAt, DateTimeOffset? Watermark = null) : IAggregatorMessage;

    /// <param name="LastEmitted">The newest window this node heard emitted, by any incarnation; -1 for none.</param>
    public sealed record IncarnationConfirmed(long Incarnation, long Round, long LastEmitted) : IAggregatorMessage;

    /// <summary>The node has seen incarnation <paramref name="Newest"/>, newer than the one that asked.</summary>
    public sealed record IncarnationSuperseded(long Newest) : IAggregatorMessage;

    /// <summary>
    /// A copy of the singleton's own node's share, for another aggregator node to hold: the share
    /// must live in two processes before its readings are settled, and the singleton and its node are one.
    /// </summary>
    public sealed record WitnessPartial(PartialWindow Partial, long Incarnation) : IAggregatorMessage;

    public sealed record PartialWitnessed(Address Node, long Interval, long Seq, long Incarnation) : IAggregatorMessage;

    /// <summary>
    /// A window as the singleton decided it, for another aggregator node to hold (a lone singleton's
    /// own node keeps it in its journal) before it goes to <c>max</c>: should the singleton's node die
    /// before every node heard it went out, the next singleton sends this very window, never a recount
    /// of the shares, so that a window never has two values.
    /// </summary>
    public sealed record WitnessDecision(long Interval, RecordedWindow Decision, long Incarnation) : IAggregatorMessage;

    public sealed record DecisionWitnessed(long Interval, long Incarnation) : IAggregatorMessage;

    /// <summary>A decision a node holds, sent to a new singleton incarnation, which sends it to <c>max</c> as it stands.</summary>
    public sealed record HeldDecision(long Interval, RecordedWindow Decision) : IAggregatorMessage;

    /// <summary>The peer of <c>max</c> accepted the window that starts at <paramref name="WindowStart"/> (on this node only).</summary>
    public sealed record MaximumAccepted(DateTimeOffset WindowStart);

    /// <summary>Told every aggregator node: the window went out; copies and decisions held for it can go.</summary>
    public sealed record WindowEmitted(long Interval, long Incarnation) : IAggregatorMessage;

    /// <summary>A cluster-wide window as the singleton recorded it, with the partials it merged.</summary>
    /// <param name="Late">Partials that came after the window was emitted; counted here, not sent to <c>max</c> again.</param>
    public sealed record RecordedWindow(WindowMaximum Window, IReadOnlyList<PartialWindow> Partials, int Late)
    {
        /// <summary>When the last of the merged shares closed: where its way to the singleton started.</summary>
        public DateTimeOffset LastShareClosedAt() => Partials.Max(partial => partial.ClosedAt);
    }

    public sealed record GetSummary : IAggregatorMessage
    {
        public static readonly GetSummary Instance = new();
    }

    /// <param name="Latest">The most recent window recorded.</param>
    /// <param name="Windows">Windows recorded so far, including those no longer in the history.</param>
    /// <param name="LatePartials">Partials that came after their window was emitted.</param>
    /// <param name="Incarnation">The singleton's incarnation; 0 until a majority of the aggregator nodes confirmed it.</param>
    /// <param name="ClockLags">How far each aggregator node's clock lags the singleton's, as its shares show (negative: ahead).</param>
    public sealed record Summary(RecordedWindow? Latest, long Windows, long LatePartials, long Incarnation, IReadOnlyList<ClockLag> ClockLags) : IAggregatorMessage;

    /// <summary>An aggregator node's clock lag behind the singleton's, in seconds (the quickest trip of a share included; negative: ahead).</summary>
    public sealed record ClockLag(string Node, double Seconds);

    /// <summary>The latest <paramref name="Count"/> windows of the history.</summary>
    public sealed record GetHistory(int Count) : IAggregatorMessage;

    /// <param name="Windows">Oldest first.</param>
    public sealed record History(IReadOnlyList<RecordedWindow> Windows) : IAggregatorMessage;

    /// <summary>From now on, tell <paramref name="Subscriber"/> every window recorded, until it stops.</summary>
    public sealed record SubscribeWindows(IActorRef Subscriber) : IAggregatorMessage;

    /// <summary>A window the aggregator has just recorded.</summary>
    public sealed record WindowRecorded(RecordedWindow Window) : IAggregatorMessage;
}
