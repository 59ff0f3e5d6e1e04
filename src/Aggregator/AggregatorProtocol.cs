using ActorDemo.Shared.Readings;
using Akka.Actor;

namespace ActorDemo.Aggregator;

/// <summary>The protocol of <see cref="AggregatorActor"/>, the cluster singleton every aggregator node reports to.</summary>
public static class AggregatorProtocol
{
    /// <summary>An aggregator node closed a window.</summary>
    public sealed record WindowClosed(Address Node, WindowMaximum Window);

    /// <summary>A window maximum and the node that computed it.</summary>
    public sealed record NodeWindow(Address Node, WindowMaximum Window);

    public sealed record GetSummary
    {
        public static readonly GetSummary Instance = new();
    }

    /// <param name="LatestPerNode">The latest window of every aggregator node still in the cluster.</param>
    /// <param name="RecentMaximum">The highest window maximum of the latest window length, across nodes.</param>
    /// <param name="Windows">Windows received so far, including those no longer in the history.</param>
    public sealed record Summary(IReadOnlyList<NodeWindow> LatestPerNode, NodeWindow? RecentMaximum, long Windows);

    /// <summary>The latest <paramref name="Count"/> windows of the history.</summary>
    public sealed record GetHistory(int Count);

    /// <param name="Windows">Oldest first.</param>
    public sealed record History(IReadOnlyList<NodeWindow> Windows);

    /// <summary>From now on, tell <paramref name="Subscriber"/> every window recorded, until it stops.</summary>
    public sealed record SubscribeWindows(IActorRef Subscriber);

    /// <summary>A window the aggregator has just recorded.</summary>
    public sealed record WindowRecorded(NodeWindow Window);
}
