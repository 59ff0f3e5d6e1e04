using ActorDemo.Shared.Readings;
using Akka.Actor;

namespace ActorDemo.Aggregator;

/// <summary>A message that crosses nodes: <see cref="AggregatorMessageSerializer"/> writes it.</summary>
public interface IAggregatorMessage;

/// <summary>The protocol of <see cref="AggregatorActor"/>, the cluster singleton every aggregator node reports to.</summary>
public static class AggregatorProtocol
{
    /// <summary>An aggregator node's share of interval <paramref name="Interval"/> (k of [k·L, (k+1)·L)).</summary>
    /// <param name="Max">None when the node had no reading in the interval; it reports all the same.</param>
    /// <param name="ClosedAt">When the node closed its share, by its own clock.</param>
    public sealed record PartialWindow(
        Address Node, long Interval, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, double? Max, string? DeviceId, int Count, int Duplicates, DateTimeOffset ClosedAt)
        : IAggregatorMessage;

    /// <summary>The window of interval <paramref name="Interval"/> was recorded with the sender's share: its readings may be settled.</summary>
    public sealed record PartialRecorded(long Interval) : IAggregatorMessage;

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
    public sealed record Summary(RecordedWindow? Latest, long Windows, long LatePartials) : IAggregatorMessage;

    /// <summary>The latest <paramref name="Count"/> windows of the history.</summary>
    public sealed record GetHistory(int Count) : IAggregatorMessage;

    /// <param name="Windows">Oldest first.</param>
    public sealed record History(IReadOnlyList<RecordedWindow> Windows) : IAggregatorMessage;

    /// <summary>From now on, tell <paramref name="Subscriber"/> every window recorded, until it stops.</summary>
    public sealed record SubscribeWindows(IActorRef Subscriber) : IAggregatorMessage;

    /// <summary>A window the aggregator has just recorded.</summary>
    public sealed record WindowRecorded(RecordedWindow Window) : IAggregatorMessage;
}
