using ActorDemo.Node.Hosting;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorDemo.Sensors;

/// <summary>
/// On a sensor node without the aggregator role: when every aggregator has left the cluster and none
/// came back within <c>--rejoin-after</c>, the node stops with <see cref="NoAggregatorReason"/>, a
/// non-zero status, so that its supervisor starts it again and it joins the aggregators' cluster
/// (a restarted aggregator forms a new one, which a running node cannot join). Until then the
/// sensors go on publishing to the router.
/// </summary>
public sealed class AggregatorWatch : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _rejoinAfter;
    private readonly HashSet<Address> _aggregators = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public AggregatorWatch(TimeSpan rejoinAfter)
    {
        _rejoinAfter = rejoinAfter;
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Up && !state.Unreachable.Contains(m)))
            {
                Seen(member);
            }
        });
        Receive<ClusterEvent.MemberUp>(up => Seen(up.Member));
        Receive<ClusterEvent.ReachableMember>(reachable => Seen(reachable.Member));
        Receive<ClusterEvent.MemberRemoved>(removed => Gone(removed.Member));
        Receive<ClusterEvent.UnreachableMember>(unreachable => Gone(unreachable.Member));
        Receive<GiveUp>(_ =>
        {
            _log.Warning(
                "No aggregator node has been in the cluster for {0:0} s: stopping with status {1} so that this node's supervisor starts it again and it joins the aggregators' cluster.",
                _rejoinAfter.TotalSeconds,
                NoAggregatorReason.Instance.ExitCode);
            CoordinatedShutdown.Get(Context.System).Run(NoAggregatorReason.Instance);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan rejoinAfter) => Akka.Actor.Props.Create(() => new AggregatorWatch(rejoinAfter));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(
            Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void Seen(Member member)
    {
        if (member.HasRole(NodeOptions.AggregatorRole) && member.Status == MemberStatus.Up && _aggregators.Add(member.Address))
        {
            Timers.Cancel(nameof(GiveUp));
        }
    }

    private void Gone(Member member)
    {
        // A node that leaves sees every other member removed as it goes: no aggregator left them.
        if (_aggregators.Remove(member.Address) && _aggregators.Count == 0 && !Leaving)
        {
            _log.Warning("The last aggregator node left the cluster ({0}); the sensors go on publishing, and this node waits {1:0} s for one to come back.", member.Address, _rejoinAfter.TotalSeconds);
            Timers.StartSingleTimer(nameof(GiveUp), GiveUp.Instance, _rejoinAfter);
        }
    }

    private bool Leaving => Cluster.Get(Context.System).SelfMember.Status is MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Down or MemberStatus.Removed;

    private sealed class GiveUp
    {
        public static readonly GiveUp Instance = new();
    }
}

/// <summary>A sensor node stopped because no aggregator was left to report to: a temporary failure, worth a restart.</summary>
public sealed class NoAggregatorReason : CoordinatedShutdown.Reason
{
    public static readonly NoAggregatorReason Instance = new();

    /// <summary>EX_TEMPFAIL of sysexits.h: try again later.</summary>
    public override int ExitCode => 75;
}
