using System.Diagnostics.CodeAnalysis;
using Akka.Actor;
using Akka.Cluster;

namespace ActorDemo.Node.Inspection;

/// <summary>The cluster as Akka Management's HTTP API shows it.</summary>
public static class ClusterView
{
    /// <param name="change">A member event just received: the cluster's state as this node reads it may not show it yet.</param>
    public static ClusterMembers Of(Cluster cluster, ClusterEvent.IMemberEvent? change = null)
    {
        var state = cluster.State;
        var members = state.Members.Where(m => change is null || m.UniqueAddress != change.Member.UniqueAddress).ToList();
        if (change is not null and not ClusterEvent.MemberRemoved)
        {
            members.Add(change.Member);
        }

        members.Sort((a, b) => Member.AddressOrdering.Compare(a.Address, b.Address));
        return new ClusterMembers(
            cluster.SelfAddress.ToString(),
            state.Leader?.ToString(),
            members.Where(m => m.Status == MemberStatus.Up).OrderBy(m => m, Member.AgeOrdering).FirstOrDefault()?.Address.ToString(),
            members.Select(Describe).ToList(),
            state.Unreachable.Select(m => new UnreachableMember(m.Address.ToString(), m.Roles.Order().ToList())).ToList());
    }

    public static ClusterMember Describe(Member member) =>
        new(member.Address.ToString(), member.UniqueAddress.Uid.ToString(), member.Status.ToString(), member.Roles.Order().ToList());

    /// <summary>A cluster event as a line of <c>cluster tail</c>.</summary>
    public static object? Describe(object clusterEvent) => clusterEvent switch
    {
        ClusterEvent.IMemberEvent change => Change(change.GetType().Name, change.Member),
        ClusterEvent.UnreachableMember unreachable => Change("Unreachable", unreachable.Member),
        ClusterEvent.ReachableMember reachable => Change("Reachable", reachable.Member),
        _ => null,
    };

    private static ClusterChange Change(string name, Member member) =>
        new(name, member.Address.ToString(), member.Status.ToString(), member.Roles.Order().ToList(), DateTimeOffset.UtcNow);

    /// <summary>A member by its full address (escaped or not) or by HOST:PORT.</summary>
    public static Member? Find(Cluster cluster, string text)
    {
        var wanted = Uri.UnescapeDataString(text);
        return cluster.State.Members.FirstOrDefault(m => m.Address.ToString() == wanted || $"{m.Address.Host}:{m.Address.Port}" == wanted);
    }

    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out Address? address)
    {
        address = null;
        try
        {
            address = text is null ? null : Address.Parse(text);
            return address?.Host is not null && address.Port is not null;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }
}

public sealed record ClusterMembers(string SelfNode, string? Leader, string? Oldest, IReadOnlyList<ClusterMember> Members, IReadOnlyList<UnreachableMember> Unreachable);

public sealed record ClusterMember(string Node, string NodeUid, string Status, IReadOnlyList<string> Roles);

public sealed record UnreachableMember(string Node, IReadOnlyList<string> Roles);

public sealed record ClusterChange(string Event, string Node, string Status, IReadOnlyList<string> Roles, DateTimeOffset At);
