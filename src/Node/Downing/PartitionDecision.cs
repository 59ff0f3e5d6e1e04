using Akka.Cluster;

namespace ActorDemo.Node.Downing;

/// <summary>A member as a partition decision sees it.</summary>
/// <param name="Age">0 for the oldest member, 1 for the next, and so on.</param>
/// <param name="Reachable">Whether the deciding side sees it.</param>
/// <param name="IndirectlyConnected">Seen by some members and not by others, so on no side of a clean split.</param>
public sealed record PartitionMember(UniqueAddress Node, bool Aggregator, MemberStatus Status, int Age, bool Reachable, bool IndirectlyConnected = false)
{
    /// <summary>Up or leaving: what the decision weighs. Joining and weakly-up members only share their side's fate.</summary>
    public bool Counts => Status is MemberStatus.Up or MemberStatus.Leaving;

    /// <summary>Not yet on its way out: downing it still means something.</summary>
    public bool Downable => Status is not (MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Removed);
}

/// <summary>
/// Which members a split brain's deciding side downs, decided by the aggregator nodes. The side with
/// more aggregator nodes goes on; on a tie, the side with more members of any role, so that the
/// survivor of two aggregators can tell the other's crash (it still sees the sensor nodes) from its
/// own isolation (it sees nobody); on a tie again, the side of the oldest aggregator node (the
/// singleton's host). Every side reaches the same verdict from the same membership, so exactly one
/// side goes on, and a sensor node's age never decides which aggregators survive.
/// Members that some see and some do not (indirectly connected) are downed first, all but the oldest
/// aggregator node among them; the split that remains is decided once that has settled.
/// </summary>
public static class PartitionDecision
{
    public static IReadOnlyList<UniqueAddress> NodesToDown(IReadOnlyCollection<PartitionMember> members)
    {
        var indirect = members.Where(m => m.IndirectlyConnected && m.Downable).ToList();
        if (indirect.Count > 0)
        {
            var kept = indirect.Where(m => m.Aggregator && m.Counts).MinBy(m => m.Age);
            return indirect.Where(m => m != kept).Select(m => m.Node).ToList();
        }

        var mine = members.Where(m => m.Reachable).ToList();
        var theirs = members.Where(m => !m.Reachable).ToList();
        if (!theirs.Any(m => m.Downable))
        {
            return [];
        }

        var losers = KeepsThisSide(mine.Where(m => m.Counts).ToList(), theirs.Where(m => m.Counts).ToList()) ? theirs : mine;
        return losers.Where(m => m.Downable).Select(m => m.Node).ToList();
    }

    private static bool KeepsThisSide(IReadOnlyList<PartitionMember> mine, IReadOnlyList<PartitionMember> theirs)
    {
        var (myAggregators, theirAggregators) = (mine.Count(m => m.Aggregator), theirs.Count(m => m.Aggregator));
        if (myAggregators != theirAggregators)
        {
            return myAggregators > theirAggregators;
        }

        if (mine.Count != theirs.Count)
        {
            return mine.Count > theirs.Count;
        }

        // With no aggregator anywhere, the oldest member of all.
        var all = mine.Concat(theirs).ToList();
        var candidates = myAggregators > 0 ? all.Where(m => m.Aggregator) : all;
        return candidates.MinBy(m => m.Age) is { } oldest && oldest.Reachable;
    }
}
