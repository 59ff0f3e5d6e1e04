using System.Collections.Concurrent;
using ActorDemo.Shared.Amqp;
using Akka.Actor;
using Akka.Cluster;

namespace ActorDemo.Shared.Health;

/// <summary>
/// What Kubernetes asks a node: alive (the actor system runs) and ready (the node is an Up member of
/// the cluster and every role's own condition holds, such as an aggregator's links being attached).
/// </summary>
public sealed class NodeHealth : IExtension
{
    private readonly ActorSystem _system;
    private readonly ConcurrentDictionary<string, Func<string?>> _readiness = new();

    public NodeHealth(ActorSystem system) => _system = system;

    public static NodeHealth Get(ActorSystem system) => system.WithExtension<NodeHealth, NodeHealthProvider>();

    public bool IsAlive => !_system.WhenTerminated.IsCompleted;

    /// <summary>A readiness condition: <paramref name="problem"/> returns null when it holds, else why not.</summary>
    public void AddReadinessCondition(string name, Func<string?> problem) => _readiness[name] = problem;

    /// <summary>Ready only while <paramref name="link"/> is attached; otherwise why not, with the link's last error.</summary>
    public void RequireAttached(string name, string address, AmqpLinkMetrics link) =>
        AddReadinessCondition(name, () => link.State == LinkStatus.Attached
            ? null
            : $"the AMQP link to '{address}' is {link.State}{(link.LastError is { } error ? $" ({error})" : "")}");

    /// <summary>Why the node is not ready; empty when it is.</summary>
    public IReadOnlyList<string> NotReadyBecause()
    {
        var problems = new List<string>();
        var status = Cluster.Get(_system).SelfMember.Status;
        if (status != MemberStatus.Up)
        {
            problems.Add($"cluster member status is {status}, not Up");
        }

        problems.AddRange(_readiness.OrderBy(r => r.Key).Select(r => r.Value()).OfType<string>());
        return problems;
    }

    private sealed class NodeHealthProvider : ExtensionIdProvider<NodeHealth>
    {
        public override NodeHealth CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
