using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// Logs every membership change as this node sees it. Akka logs most of them only on the leader,
/// which may be any node; an operator reading one node's log wants to see the whole cluster move.
/// </summary>
public sealed class MembershipLog : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public MembershipLog()
    {
        Receive<ClusterEvent.MemberUp>(up => _log.Info("Cluster member up: {0} {1}", up.Member.Address, Roles(up.Member)));
        Receive<ClusterEvent.MemberLeft>(left => _log.Info("Cluster member leaving: {0} {1}", left.Member.Address, Roles(left.Member)));
        Receive<ClusterEvent.MemberRemoved>(removed =>
            _log.Info("Cluster member removed: {0} {1} (was {2})", removed.Member.Address, Roles(removed.Member), removed.PreviousStatus));
        Receive<ClusterEvent.UnreachableMember>(unreachable => _log.Warning("Cluster member unreachable: {0} {1}", unreachable.Member.Address, Roles(unreachable.Member)));
        Receive<ClusterEvent.ReachableMember>(reachable => _log.Info("Cluster member reachable again: {0} {1}", reachable.Member.Address, Roles(reachable.Member)));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new MembershipLog());

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(
            Self,
            ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent),
            typeof(ClusterEvent.UnreachableMember),
            typeof(ClusterEvent.ReachableMember));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private static string Roles(Member member) => $"[{string.Join(",", member.Roles)}]";
}
