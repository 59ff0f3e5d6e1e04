using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorDemo.Node.Downing;

/// <summary>
/// The split brain resolver of ActorDemo (<c>akka.cluster.downing-provider-class</c>): once the
/// membership and reachability have been stable for <see cref="AggregatorDowningProvider.StableAfter"/>, the leader of each
/// side downs what <see cref="PartitionDecision"/> says, so the aggregator nodes decide which side survives.
/// </summary>
public sealed class AggregatorDowningProvider : IDowningProvider
{
    /// <summary>The role whose nodes decide a partition: the aggregators', which hold the windows and the singleton.</summary>
    public const string DecidingRole = "aggregator";

    private readonly Cluster _cluster;

    /// <summary>Akka creates the provider with the node's system and cluster.</summary>
    public AggregatorDowningProvider(ActorSystem system, Cluster cluster) => _cluster = cluster;

    /// <summary>
    /// How long the membership must be stable before a decision. Akka's default is 20 s; with 5 s a
    /// killed singleton host is replaced in about 12 s (detection ~5 s, this, the removal margin),
    /// at the price of downing a node whose pauses (GC, network) last longer than about 10 s.
    /// </summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after a node was downed and removed its singleton may start elsewhere. Akka uses
    /// stable-after, so that the downed side has stopped its singleton first; ours fences itself:
    /// it acts only within a second of a majority's confirmation, so a margin above that suffices.
    /// </summary>
    public static readonly TimeSpan RemovalMargin = TimeSpan.FromSeconds(2);

    public TimeSpan DownRemovalMargin => RemovalMargin;

    public Props DowningActorProps => AggregatorDowning.Props(_cluster, StableAfter);

    /// <summary>The configuration line that makes a node use it.</summary>
    public static string Hocon => $"akka.cluster.downing-provider-class = \"{typeof(AggregatorDowningProvider).AssemblyQualifiedName}\"";
}

/// <summary>The resolver's actor on every node; only the leader of a side acts.</summary>
public sealed class AggregatorDowning : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The monotonic clock's origin: stability is measured on a clock that wall-clock steps do not move.</summary>
    private static readonly long Started = Stopwatch.GetTimestamp();

    private readonly Cluster _cluster;
    private readonly TimeSpan _stableAfter;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private string _membership = "";
    private TimeSpan _stableSince;

    public AggregatorDowning(Cluster cluster, TimeSpan stableAfter)
    {
        _cluster = cluster;
        _stableAfter = stableAfter;
        Receive<Tick>(_ => OnTick());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Cluster cluster, TimeSpan stableAfter) =>
        Akka.Actor.Props.Create(() => new AggregatorDowning(cluster, stableAfter));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, TickInterval);
        _log.Info("Split brain resolver: the side with more aggregator nodes survives, then the one with more members, then the oldest aggregator's; decisions after {0} s of stable membership.", _stableAfter.TotalSeconds);
    }

    private void OnTick()
    {
        var state = _cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        var membership = string.Join(';', state.Members.Select(m => $"{m.UniqueAddress}:{m.Status}:{unreachable.Contains(m.UniqueAddress)}"));
        var now = Stopwatch.GetElapsedTime(Started);
        if (membership != _membership)
        {
            _membership = membership;
            _stableSince = now;
            return;
        }

        if (unreachable.Count == 0 || state.Leader != _cluster.SelfAddress || now - _stableSince < _stableAfter)
        {
            return;
        }

        var indirect = IndirectlyConnected(state);
        var byAge = state.Members.OrderBy(m => m, Member.AgeOrdering).ToList();
        var members = byAge.Select((m, age) => new PartitionMember(
            m.UniqueAddress, m.HasRole(AggregatorDowningProvider.DecidingRole), m.Status, age, !unreachable.Contains(m.UniqueAddress), indirect.Contains(m.UniqueAddress))).ToList();
        var down = PartitionDecision.NodesToDown(members);
        if (down.Count == 0)
        {
            return;
        }

        _log.Warning(
            "Split brain resolver downs {0} ({1} of {2} members unreachable{3}): {4}",
            string.Join(", ", down.Select(n => n.Address)),
            unreachable.Count,
            members.Count,
            indirect.Count > 0 ? $", {indirect.Count} indirectly connected" : "",
            down.Contains(_cluster.SelfUniqueAddress) ? "this side has fewer aggregator nodes, or as many and fewer members, or lacks the oldest aggregator" : "the other side loses");
        foreach (var node in down)
        {
            _cluster.Down(node.Address);
        }

        // The downs change the membership; the next decision waits for it to be stable again.
        _stableSince = now;
    }

    /// <summary>
    /// Members marked unreachable that have seen the current gossip all the same: some of the others
    /// still hear them, so a flaky link, not a clean split, made them unreachable.
    /// </summary>
    private static HashSet<UniqueAddress> IndirectlyConnected(ClusterEvent.CurrentClusterState state) =>
        state.Unreachable.Where(m => state.SeenBy.Contains(m.Address)).Select(m => m.UniqueAddress).ToHashSet();

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
