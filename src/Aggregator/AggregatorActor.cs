using System.Diagnostics;
using ActorDemo.Amqp;
using ActorDemo.Node.Hosting;
using ActorDemo.Readings;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>How the singleton merges the nodes' partial windows.</summary>
/// <param name="GracePeriod">How long past a window's end it waits for an aggregator that has not reported (by event time: past the watermark's passing it).</param>
/// <param name="EventTime">Windows by the readings' timestamps, closed by the watermark; none: by arrival, closed by the clock.</param>
public sealed record AggregatorSettings(int HistoryLimit, TimeSpan GracePeriod, EventTimeSettings? EventTime = null)
{
    /// <summary>How often the singleton asks the aggregator nodes to confirm its incarnation.</summary>
    public static readonly TimeSpan ConfirmInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a majority's confirmation lets the singleton acknowledge and emit, from when it asked.
    /// Far shorter than the split brain resolver takes to down a node, so a paused or cut-off
    /// singleton has fallen silent before another can start.
    /// </summary>
    public static readonly TimeSpan ConfirmLease = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the nodes hold a window's decision after it was handed to the <c>max</c> link, at
    /// most, when no acceptance comes (nobody reads <c>max</c>, or the router is down): the bound on
    /// what they keep.
    /// </summary>
    public static readonly TimeSpan AcceptanceWait = TimeSpan.FromSeconds(30);

    /// <summary>How often open windows are checked against the grace period.</summary>
    public TimeSpan CheckInterval => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(GracePeriod.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks)));
}

/// <summary>
/// The cluster-wide view of the windows: a singleton on the aggregator role. Every aggregator node
/// sends it cumulative snapshots of its share of each aligned window; it acknowledges each at once
/// (so the node settles those readings), emits one maximum per window once every aggregator that was
/// Up during it sent its closed share, or the grace period passed, keeps a bounded history, logs one
/// line per window, sends it to <c>max</c> and tells subscribers. A share that comes after its window
/// was emitted is counted as late and added to the history. By event time, a window goes out once
/// the cluster's watermark (<see cref="EventTimeWatermark"/>, told the nodes with every incarnation
/// check) passed its end and every node sharing it closed its share, or the grace period passed
/// since; windows go out in order, so a share of a window older than one already sent is late.
/// </summary>
/// <remarks>
/// Fencing: each singleton has an incarnation, a number that only grows, chosen above every one the
/// aggregator nodes have seen. It acts (acknowledges, emits) only while a majority of the aggregator
/// nodes confirmed its incarnation within <see cref="AggregatorSettings.ConfirmLease"/>, on a clock
/// that a paused process does not stop; nodes ignore the word of an incarnation older than the
/// newest they saw. Its own node's shares are acknowledged once another aggregator node holds a
/// copy, so that no single process's death loses an acknowledged share; a lone aggregator's node
/// keeps that copy on disk (<see cref="ShareJournal"/>).
/// </remarks>
public sealed class AggregatorActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private const string CheckTimer = "check";
    private const string ConfirmTimer = "confirm";

    private readonly AggregatorSettings _settings;
    private readonly Func<IMaterializer, ISourceQueueWithComplete<WindowMaximum>>? _openMaxima;
    private readonly Func<DateTimeOffset> _clock;
    private readonly WindowMetrics? _metrics;
    private readonly ReadingLedger? _ledger;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly Stopwatch _monotonic = Stopwatch.StartNew();
    private readonly SortedDictionary<long, Dictionary<Address, (PartialWindow Partial, IActorRef Reporter)>> _open = [];
    private readonly LinkedList<RecordedWindow> _history = new();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly Dictionary<Address, DateTimeOffset> _aggregatorsUpSince = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<long> _emitted = [];
    private readonly Queue<long> _emittedOrder = new();
    private readonly Dictionary<long, Round> _rounds = [];
    private readonly SortedDictionary<long, Decision> _deciding = [];
    private readonly Dictionary<DateTimeOffset, Sent> _sent = [];
    private readonly MaximaAcceptance? _acceptance;
    private bool _acceptanceWarned;
    private readonly NodeClockLags _lags = new();
    private readonly ThrottledReport<string> _lateReport;
    private readonly EventTimeWatermark? _watermark;
    private readonly Dictionary<long, TimeSpan> _dueSince = [];
    private long _newestEmitted = -1;
    private ISourceQueueWithComplete<WindowMaximum>? _maximaQueue;
    private IActorRef? _ownReporter;
    private long _incarnation;
    private bool _served;
    private long _round;
    private TimeSpan _leaseUntil;
    private TimeSpan _lastCheck;
    private long _predecessorEmitted = -1;
    private bool _catchingUp;
    private long _windows;
    private long _late;

    /// <param name="openMaxima">Opens the stream to <c>max</c> (the hosting wires it), where window maxima go; none to send them nowhere.</param>
    /// <param name="clock">The singleton's clock, against which the grace period runs.</param>
    /// <param name="metrics">Told every window recorded; none where nothing is exported (specs).</param>
    /// <param name="ledger">Told every window emitted, before it goes to <c>max</c>; none when the node keeps no ledger.</param>
    /// <param name="acceptance">Says which windows <c>max</c> accepted; none when <c>max</c> gives no outcome (at-most-once), and a window is let go of when sent.</param>
    public AggregatorActor(AggregatorSettings settings, Func<IMaterializer, ISourceQueueWithComplete<WindowMaximum>>? openMaxima, Func<DateTimeOffset> clock, WindowMetrics? metrics, ReadingLedger? ledger, MaximaAcceptance? acceptance)
    {
        _acceptance = acceptance;
        _ledger = ledger;
        _settings = settings;
        _openMaxima = openMaxima;
        _clock = clock;
        _metrics = metrics;
        _incarnation = Math.Max(1, _clock().ToUnixTimeMilliseconds());
        _watermark = settings.EventTime is { } eventTime ? new EventTimeWatermark(eventTime, clock, () => _monotonic.Elapsed) : null;
        // A node whose shares all come late (its clock far behind) would otherwise write a line per share.
        // By event time, what a window waits for is the watermark, which the allowed lateness holds back.
        var longerWait = settings.EventTime is null ? "a longer grace period (--grace)" : "a longer allowed lateness (--allowed-lateness)";
        _lateReport = new ThrottledReport<string>(TimeSpan.FromSeconds(10), (count, latest) => _log.Warning(
            count == 1
                ? "A partial window came after its window was emitted, {0}: added to the history, not sent to 'max' again; {1} waits for it."
                : "{2} partial windows came after their windows were emitted in the last 10 s, the latest {0}: added to the history, not sent to 'max' again; {1} waits for them.",
            latest,
            longerWait,
            count));
        Unconfirmed();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(
        AggregatorSettings settings, Func<IMaterializer, ISourceQueueWithComplete<WindowMaximum>>? openMaxima = null, Func<DateTimeOffset>? clock = null, WindowMetrics? metrics = null, ReadingLedger? ledger = null, MaximaAcceptance? acceptance = null) =>
        Akka.Actor.Props.Create(() => new AggregatorActor(settings, openMaxima, clock ?? (() => DateTimeOffset.UtcNow), metrics, ledger, acceptance));

    private bool Confirmed => _monotonic.Elapsed < _leaseUntil;

    protected override void PreStart()
    {
        // The members already Up were Up during every window still to come in: they are waited for.
        foreach (var member in _cluster.State.Members.Where(m => m.Status == MemberStatus.Up && !_cluster.State.Unreachable.Contains(m)))
        {
            MemberUp(member, DateTimeOffset.MinValue);
        }

        _cluster.Subscribe(
            Self,
            ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent),
            typeof(ClusterEvent.IReachabilityEvent));
        // The stream to 'max' is wired by the hosting; it opens here, where the singleton runs, and closes with it.
        _maximaQueue = _openMaxima?.Invoke(Context.Materializer());
        if (_maximaQueue is not null)
        {
            _acceptance?.Attach(Self);
        }

        _lastCheck = _monotonic.Elapsed;
        Timers.StartPeriodicTimer(CheckTimer, Check.Instance, _settings.CheckInterval);
        Timers.StartPeriodicTimer(ConfirmTimer, Confirm.Instance, AggregatorSettings.ConfirmInterval);
        StartRound();
    }

    protected override void PostStop()
    {
        _lateReport.Dispose();
        _cluster.Unsubscribe(Self);
        _acceptance?.Detach(Self);
        _maximaQueue?.Complete();
    }

    /// <summary>Not (or no longer) confirmed by a majority: shares wait, nothing is acknowledged or emitted.</summary>
    private void Unconfirmed()
    {
        Common();
        Receive<PartialWindow>(_ => Stash.Stash());
        Receive<PartialWitnessed>(_ => Stash.Stash());
        Receive<DecisionWitnessed>(_ => Stash.Stash());
        Receive<HeldDecision>(_ => Stash.Stash());
        Receive<Check>(_ => NoteTimerGap());
        Receive<CaughtUp>(_ => _catchingUp = false);
    }

    private void Serving()
    {
        Common();
        Receive<PartialWindow>(partial => WhileConfirmed(() => OnPartial(partial), keepMessage: true));
        Receive<PartialWitnessed>(witnessed => WhileConfirmed(() => OnWitnessed(witnessed), keepMessage: true));
        Receive<DecisionWitnessed>(witnessed => WhileConfirmed(() => OnDecisionWitnessed(witnessed), keepMessage: true));
        Receive<HeldDecision>(held => WhileConfirmed(() => Adopt(held), keepMessage: true));
        Receive<Check>(_ =>
        {
            NoteTimerGap();
            WhileConfirmed(
                () =>
                {
                    AskWitnessesAgain();
                    StopWaitingForAcceptance();
                    EmitDue();
                },
                keepMessage: false);
        });
        Receive<CaughtUp>(_ =>
        {
            _catchingUp = false;
            WhileConfirmed(EmitDue, keepMessage: false);
        });
    }

    /// <summary>A newer incarnation exists: this one never acts again; the cluster stops it once it downs its node.</summary>
    private void Superseded()
    {
        // Every node's reporter answers each later round with the newer incarnation: said once is enough.
        Receive<IncarnationSuperseded>(_ => { });
        Common();
        Receive<PartialWindow>(_ => { });
        Receive<PartialWitnessed>(_ => { });
        Receive<DecisionWitnessed>(_ => { });
        Receive<HeldDecision>(_ => { });
        Receive<Check>(_ => { });
        Receive<CaughtUp>(_ => { });
    }

    private void Common()
    {
        // Before any state's handler (which may stash it): a share's lag is measured on its arrival,
        // not again when it is taken from the stash (all of those come before CaughtUp).
        Receive<PartialWindow>(partial =>
        {
            if (!_catchingUp)
            {
                ObserveLag(partial);
            }

            return false;
        });
        Receive<Confirm>(_ => StartRound());
        Receive<MaximumAccepted>(accepted =>
        {
            if (_sent.Remove(accepted.WindowStart, out var sent))
            {
                Release(sent.Interval, sent.Reports);
            }
        });
        Receive<IncarnationConfirmed>(OnConfirmed);
        Receive<IncarnationSuperseded>(OnSuperseded);
        Receive<ClusterEvent.MemberUp>(up => MemberUp(up.Member, _clock()));
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            // A node that comes back is a new process, perhaps with another clock.
            _aggregatorsUpSince.Remove(removed.Member.Address);
            _lags.Forget(removed.Member.Address);
        });
        Receive<ClusterEvent.IMemberEvent>(changed => _aggregatorsUpSince.Remove(changed.Member.Address));
        Receive<ClusterEvent.UnreachableMember>(unreachable => _aggregatorsUpSince.Remove(unreachable.Member.Address));
        Receive<ClusterEvent.ReachableMember>(reachable => MemberUp(reachable.Member, DateTimeOffset.MinValue));
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<GetSummary>(_ => Sender.Tell(new Summary(
            _history.Last?.Value,
            _windows,
            _late,
            _served ? _incarnation : 0,
            _lags.All().Select(l => new ClockLag(l.Node.ToString(), l.Lag.TotalSeconds)).OrderBy(l => l.Node, StringComparer.Ordinal).ToList())));
        Receive<GetHistory>(get => Sender.Tell(new History(_history.TakeLast(Math.Max(0, get.Count)).ToList())));
        Receive<SubscribeWindows>(subscribe =>
        {
            _subscribers.Add(subscribe.Subscriber);
            Context.Watch(subscribe.Subscriber);
        });
        Receive<Terminated>(terminated => _subscribers.Remove(terminated.ActorRef));
    }

    /// <param name="keepMessage">Stash the message for when the incarnation is confirmed again.</param>
    private void WhileConfirmed(Action act, bool keepMessage)
    {
        if (Confirmed)
        {
            act();
            return;
        }

        _log.Warning("Singleton incarnation {0} lost the confirmation of a majority of the aggregator nodes: it acknowledges and emits nothing until they confirm it again.", _incarnation);
        Become(Unconfirmed);
        if (keepMessage)
        {
            Stash.Stash();
        }
    }

    /// <summary>Asks every aggregator node's reporter to confirm this incarnation; a majority renews the lease.</summary>
    /// <remarks>
    /// Rounds overlap: under load an answer can take longer than the interval between rounds, so each
    /// round is kept until it is too old to renew the lease, and an answer counts for its own round.
    /// </remarks>
    private void StartRound()
    {
        var now = _monotonic.Elapsed;
        foreach (var old in _rounds.Where(r => r.Value.StartedAt + AggregatorSettings.ConfirmLease <= now).Select(r => r.Key).ToList())
        {
            _rounds.Remove(old);
        }

        var aggregators = AggregatorMembers();
        var reachable = Reachable(aggregators).ToList();
        _rounds[++_round] = new Round(now, (aggregators.Count / 2) + 1, reachable.Count);
        foreach (var node in reachable)
        {
            ReporterOf(node).Tell(new ConfirmIncarnation(_incarnation, _round, _clock(), _watermark?.Current()));
        }
    }

    private void OnConfirmed(IncarnationConfirmed confirmed)
    {
        if (confirmed.Incarnation != _incarnation || !_rounds.TryGetValue(confirmed.Round, out var round) || !round.Confirmations.Add(Sender))
        {
            return;
        }

        if (!_served)
        {
            _predecessorEmitted = Math.Max(_predecessorEmitted, confirmed.LastEmitted);
        }

        // Taking over, it hears every reachable node first: each sends the shares it holds (its own
        // and copies of the old singleton's node's) before it confirms, and they must all be in.
        var leaseUntil = round.StartedAt + AggregatorSettings.ConfirmLease;
        if (round.Confirmations.Count < round.Quorum || (!_served && round.Confirmations.Count < round.Reachable) || leaseUntil <= _monotonic.Elapsed)
        {
            return;
        }

        var renewed = !Confirmed;
        _leaseUntil = leaseUntil > _leaseUntil ? leaseUntil : _leaseUntil;
        if (!_served)
        {
            _served = true;
            _log.Info("Singleton incarnation {0} confirmed by {1} of the aggregator nodes; it takes over after window {2}.", _incarnation, round.Confirmations.Count, _predecessorEmitted);
        }
        else if (renewed)
        {
            _log.Info("Singleton incarnation {0} confirmed again by a majority of the aggregator nodes.", _incarnation);
        }

        if (renewed)
        {
            // The shares that waited are all taken in before any window goes out on them.
            Become(Serving);
            _catchingUp = true;
            Stash.UnstashAll();
            Self.Tell(CaughtUp.Instance);
        }
    }

    private void OnSuperseded(IncarnationSuperseded superseded)
    {
        if (superseded.Newest <= _incarnation)
        {
            return;
        }

        if (!_served)
        {
            // Not acted on yet: it only started below an incarnation that a node has seen. It takes the next.
            _incarnation = superseded.Newest + 1;
            StartRound();
            return;
        }

        _log.Warning("Singleton incarnation {0} was superseded by {1}: another singleton runs; this one stays silent until its node is downed.", _incarnation, superseded.Newest);
        _leaseUntil = TimeSpan.Zero;
        Stash.ClearStash();
        Become(Superseded);
    }

    private void NoteTimerGap()
    {
        var now = _monotonic.Elapsed;
        var gap = now - _lastCheck;
        _lastCheck = now;
        if (gap > _settings.CheckInterval + AggregatorSettings.ConfirmLease)
        {
            // Paused (SIGSTOP, a stalled VM): the lease ran out meanwhile; said here so that the log shows why.
            _log.Warning("The singleton's timers stalled for {0:0.0} s (a paused process?): it acts again only once a majority confirms it.", gap.TotalSeconds);
        }
    }

    private void MemberUp(Member member, DateTimeOffset since)
    {
        if (member.HasRole(NodeOptions.AggregatorRole) && member.Status == MemberStatus.Up)
        {
            _aggregatorsUpSince[member.Address] = since;
        }
    }

    /// <summary>The aggregator nodes whose confirmation counts: every one Up or leaving, reachable or not.</summary>
    private List<Address> AggregatorMembers() =>
        _cluster.State.Members
            .Where(m => m.HasRole(NodeOptions.AggregatorRole) && m.Status is MemberStatus.Up or MemberStatus.Leaving)
            .Select(m => m.Address)
            .ToList();

    /// <summary>Those the failure detector does not suspect: the others cannot answer, so they are not asked.</summary>
    private IEnumerable<Address> Reachable(IEnumerable<Address> nodes) =>
        nodes.Where(node => !_cluster.State.Unreachable.Any(member => member.Address == node));

    private static ActorSelection ReporterOf(Address node) =>
        Context.ActorSelection(new RootActorPath(node) / "user" / WindowReporter.ActorName);

    private void OnPartial(PartialWindow partial)
    {
        _watermark?.Observe(partial.Newest);

        // Late if it was emitted, by this singleton or (at or before the newest window the nodes heard
        // emitted) by its predecessor; older windows the predecessor never emitted still go out, but
        // for windows by event time, which go out in order only.
        if (_emitted.Contains(partial.Interval)
            || partial.Interval <= _predecessorEmitted
            || (_watermark is not null && partial.Interval < _newestEmitted && !_open.ContainsKey(partial.Interval)))
        {
            RecordLate(partial);
            Sender.Tell(new PartialAcknowledged(partial.Node, partial.Interval, partial.Seq, _incarnation, Emitted: true));
            return;
        }

        if (!_open.TryGetValue(partial.Interval, out var partials))
        {
            _open[partial.Interval] = partials = [];
        }

        // Snapshots are cumulative: the newest stands, a resent or stale copy changes nothing.
        if (!partials.TryGetValue(partial.Node, out var held) || held.Partial.Seq < partial.Seq)
        {
            _metrics?.OnLate(partial.Node.ToString(), partial.Late - (held.Partial?.Late ?? 0));
            partials[partial.Node] = held = (partial, Sender);
        }

        if (partial.Node == _cluster.SelfAddress)
        {
            _ownReporter = Sender;
            Witness(held.Partial);
        }
        else
        {
            Sender.Tell(new PartialAcknowledged(partial.Node, partial.Interval, held.Partial.Seq, _incarnation, Emitted: false));
        }

        EmitDue();
    }

    /// <summary>Learns the node's clock lag from the share, and says so once it lags by more than the grace period.</summary>
    private void ObserveLag(PartialWindow partial)
    {
        _lags.Observe(partial.Node, partial.ClosedAt, _clock());
        if (_lags.NewlyBeyond(partial.Node, _settings.GracePeriod))
        {
            var lag = _lags.LagOf(partial.Node);
            _log.Warning(
                "The clock of aggregator node {0} lags this one's by about {1:0.0} s, more than the grace period: windows wait that much longer for its shares (at most {2:0} s). Synchronise the nodes' clocks (NTP).",
                partial.Node,
                lag.TotalSeconds,
                NodeClockLags.MaxLag.TotalSeconds);
        }
    }

    /// <summary>
    /// This node's share is copied to the other aggregator nodes, or alone, to its own node's journal
    /// on disk; the first copy held lets it be acknowledged.
    /// </summary>
    private void Witness(PartialWindow partial)
    {
        foreach (var node in Witnesses())
        {
            ReporterOf(node).Tell(new WitnessPartial(partial, _incarnation));
        }
    }

    /// <summary>The nodes that hold copies of what this singleton alone knows: the other reachable aggregator nodes, or its own node's journal.</summary>
    private List<Address> Witnesses()
    {
        var others = Reachable(AggregatorMembers()).Where(node => node != _cluster.SelfAddress).ToList();
        return others.Count > 0 ? others : [_cluster.SelfAddress];
    }

    private void OnWitnessed(PartialWitnessed witnessed)
    {
        if (witnessed.Incarnation == _incarnation && witnessed.Node == _cluster.SelfAddress)
        {
            _ownReporter?.Tell(new PartialAcknowledged(witnessed.Node, witnessed.Interval, witnessed.Seq, _incarnation, Emitted: false));
        }
    }

    /// <summary>
    /// Emits, oldest first, every open window that all expected nodes closed their share of or whose
    /// grace period is over. Windows go out in order, but for older ones that reach a new singleton after a hand-over.
    /// </summary>
    private void EmitDue()
    {
        if (_catchingUp)
        {
            return;
        }

        if (_watermark is not null)
        {
            EmitDueByWatermark();
            return;
        }

        var now = _clock();
        var reachable = Reachable(AggregatorMembers()).ToHashSet();
        while (_open.Count > 0)
        {
            var (interval, partials) = _open.First();
            var end = partials.Values.First().Partial.WindowEnd;

            // Expected: every node Up while the window ran, and any that has begun sharing it (its Up
            // may reach this node's view of the cluster only after its first readings).
            var expected = _aggregatorsUpSince.Where(node => node.Value <= end).Select(node => node.Key)
                .Concat(partials.Where(p => !p.Value.Partial.Closed && reachable.Contains(p.Key)).Select(p => p.Key));
            // Each node closes the window by its own clock: one that lags is given its lag on top of the grace.
            var waitingFor = expected.Where(node => !(partials.TryGetValue(node, out var held) && held.Partial.Closed));
            if (waitingFor.Any(node => now < end + _lags.LagOf(node) + _settings.GracePeriod))
            {
                return;
            }

            _open.Remove(interval);
            Emit(interval, partials.Values.ToList());
        }
    }

    /// <summary>
    /// Windows by event time: the oldest open window goes out once the watermark passed its end and
    /// every reachable node sharing it closed its share, or the grace period passed since the watermark did.
    /// </summary>
    private void EmitDueByWatermark()
    {
        var watermark = _watermark!.Current();
        var reachable = Reachable(AggregatorMembers()).ToHashSet();
        while (_open.Count > 0 && watermark is { } closedBefore)
        {
            var (interval, partials) = _open.First();
            if (partials.Values.First().Partial.WindowEnd > closedBefore)
            {
                return;
            }

            if (!_dueSince.TryGetValue(interval, out var dueSince))
            {
                _dueSince[interval] = dueSince = _monotonic.Elapsed;
            }

            var waiting = partials.Any(p => !p.Value.Partial.Closed && reachable.Contains(p.Key));
            if (waiting && _monotonic.Elapsed < dueSince + _settings.GracePeriod)
            {
                return;
            }

            _open.Remove(interval);
            _dueSince.Remove(interval);
            Emit(interval, partials.Values.ToList());
        }
    }

    /// <summary>
    /// Decides the window from the shares it holds; it goes out once another process holds the
    /// decision (<see cref="OnDecisionWitnessed"/>). A window with no reading has nothing to send.
    /// </summary>
    private void Emit(long interval, IReadOnlyList<(PartialWindow Partial, IActorRef Reporter)> reports)
    {
        MarkEmitted(interval);
        var partials = reports.Select(r => r.Partial).OrderBy(p => p.Node.ToString(), StringComparer.Ordinal).ToList();
        if (Merge(partials) is not { } window)
        {
            Release(interval, reports);
            return;
        }

        var decision = _deciding[interval] = new Decision(new RecordedWindow(window, partials, 0), reports);
        AskWitnesses(interval, decision);
    }

    private void AskWitnesses(long interval, Decision decision)
    {
        decision.AskedAt = _monotonic.Elapsed;
        foreach (var node in Witnesses())
        {
            ReporterOf(node).Tell(new WitnessDecision(interval, decision.Recorded, _incarnation));
        }
    }

    /// <summary>A decision no node confirmed (its witness died or was cut off meanwhile) is asked of the witnesses of now.</summary>
    private void AskWitnessesAgain()
    {
        foreach (var (interval, decision) in _deciding.Where(d => !d.Value.Witnessed && _monotonic.Elapsed - d.Value.AskedAt >= AggregatorSettings.ConfirmLease))
        {
            AskWitnesses(interval, decision);
        }
    }

    /// <summary>Windows go out in order: a decision held by another process waits for the older ones.</summary>
    private void OnDecisionWitnessed(DecisionWitnessed witnessed)
    {
        if (witnessed.Incarnation != _incarnation || !_deciding.TryGetValue(witnessed.Interval, out var decision))
        {
            return;
        }

        decision.Witnessed = true;
        while (_deciding.Count > 0 && _deciding.First() is { Value.Witnessed: true } oldest)
        {
            _deciding.Remove(oldest.Key);
            Publish(oldest.Key, oldest.Value.Recorded, oldest.Value.Reports);
        }
    }

    /// <summary>
    /// A window a predecessor decided and a node still holds: it goes out as it was decided (with the
    /// predecessor's incarnation), even if the predecessor sent it already, so that no window is
    /// missing and none has two values. Shares of it that came meanwhile are late.
    /// </summary>
    private void Adopt(HeldDecision held)
    {
        if (_emitted.Contains(held.Interval))
        {
            return;
        }

        MarkEmitted(held.Interval);
        _dueSince.Remove(held.Interval);
        var reports = _open.Remove(held.Interval, out var partials) ? partials.Values.ToList() : [];
        Publish(held.Interval, held.Decision, reports);
        foreach (var (partial, _) in reports)
        {
            RecordLate(partial);
        }
    }

    private void MarkEmitted(long interval)
    {
        _newestEmitted = Math.Max(_newestEmitted, interval);
        _emitted.Add(interval);
        _emittedOrder.Enqueue(interval);
        while (_emittedOrder.Count > Math.Max(_settings.HistoryLimit, 1000))
        {
            _emitted.Remove(_emittedOrder.Dequeue());
        }
    }

    /// <summary>
    /// Records the window, logs it and sends it to <c>max</c>; the nodes let go of it once <c>max</c>
    /// accepted it (or at once where no outcome comes).
    /// </summary>
    private void Publish(long interval, RecordedWindow recorded, IReadOnlyList<(PartialWindow Partial, IActorRef Reporter)> reports)
    {
        var window = recorded.Window;
        Record(recorded);
        _metrics?.OnRecorded(recorded, _clock());
        _log.Info(WindowMaximum.LogTemplate, window.LogValues());
        if (recorded.Partials.Any(p => p.Late > 0))
        {
            _log.Info(
                "{0} readings of {1:HH:mm:ss}-{2:HH:mm:ss} came after their window had closed on their node (allowed lateness {3:0.#} s) and are counted in it: {4}",
                recorded.Partials.Sum(p => p.Late),
                window.WindowStart.ToLocalTime(),
                window.WindowEnd.ToLocalTime(),
                _settings.EventTime?.AllowedLateness.TotalSeconds ?? 0,
                string.Join(", ", recorded.Partials.Where(p => p.Late > 0).Select(p => $"{p.Node} {p.Late}")));
        }

        _ledger?.Emitted(interval, window, recorded.Partials.Select(p => (p.Node.ToString(), p.Count)));
        _maximaQueue?.OfferAsync(window);
        if (_maximaQueue is null || _acceptance is null)
        {
            Release(interval, reports);
            return;
        }

        _sent[window.WindowStart] = new Sent(interval, reports, _monotonic.Elapsed);
    }

    /// <summary>Windows <c>max</c> has not accepted within <see cref="AggregatorSettings.AcceptanceWait"/> are let go of, so that what the nodes hold stays bounded.</summary>
    private void StopWaitingForAcceptance()
    {
        var overdue = _sent.Where(s => _monotonic.Elapsed - s.Value.At >= AggregatorSettings.AcceptanceWait).ToList();
        if (overdue.Count > 0 && !_acceptanceWarned)
        {
            _acceptanceWarned = true;
            _log.Warning(
                "'max' has not accepted the window of {0:HH:mm:ss} within {1:0} s (no consumer attached, or the router is down): the nodes let go of windows once they are sent, so one sent in the instant before this node dies may be missing from 'max'. Said once.",
                overdue[0].Key.ToLocalTime(),
                AggregatorSettings.AcceptanceWait.TotalSeconds);
        }

        foreach (var (start, sent) in overdue)
        {
            _sent.Remove(start);
            Release(sent.Interval, sent.Reports);
        }
    }

    /// <summary>Tells the nodes the window went out: the shares and copies they hold for it can go.</summary>
    private void Release(long interval, IReadOnlyList<(PartialWindow Partial, IActorRef Reporter)> reports)
    {
        foreach (var (partial, reporter) in reports)
        {
            reporter.Tell(new PartialAcknowledged(partial.Node, interval, partial.Seq, _incarnation, Emitted: true));
        }

        foreach (var node in Reachable(AggregatorMembers()))
        {
            ReporterOf(node).Tell(new WindowEmitted(interval, _incarnation));
        }
    }

    /// <summary>The cluster-wide window of some nodes' shares; none when they counted no reading.</summary>
    private WindowMaximum? Merge(IReadOnlyList<PartialWindow> partials)
    {
        var count = partials.Sum(p => p.Count);
        if (count == 0)
        {
            return null;
        }

        var highest = partials.Select(p => p.Highest()).Aggregate(ReadingMaximum.Higher)!;
        return new WindowMaximum(partials[0].WindowStart, partials[0].WindowEnd, highest.Temperature, highest.DeviceId, count, partials.Count, _incarnation);
    }

    private void Record(RecordedWindow recorded)
    {
        _windows++;
        _history.AddLast(recorded);
        while (_history.Count > _settings.HistoryLimit)
        {
            _history.RemoveFirst();
        }

        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(new WindowRecorded(recorded));
        }
    }

    /// <summary>A share after its window was emitted: merged into the history's window, logged, counted; never dropped silently.</summary>
    private void RecordLate(PartialWindow partial)
    {
        var entry = _history.Last;
        while (entry is not null && entry.Value.Window.WindowStart != partial.WindowStart)
        {
            entry = entry.Previous;
        }

        var merged = entry?.Value.Partials.FirstOrDefault(p => p.Node == partial.Node);
        var added = partial.Count - (merged?.Count ?? 0);
        if (merged is not null && (merged.Seq >= partial.Seq || added <= 0))
        {
            // A copy sent again, or a later snapshot with no reading more, before the node heard that the window went out.
            return;
        }

        _late++;
        _metrics?.OnLate(partial.Node.ToString(), partial.Late - (merged?.Late ?? 0));
        if (entry?.Value is { } recorded && added > 0)
        {
            var partials = recorded.Partials.Where(p => p.Node != partial.Node).Append(partial).OrderBy(p => p.Node.ToString(), StringComparer.Ordinal).ToList();
            entry.Value = recorded with { Window = Merge(partials)! with { Incarnation = recorded.Window.Incarnation }, Partials = partials, Late = recorded.Late + 1 };
        }

        if (added <= 0)
        {
            return;
        }

        _lateReport.Record($"from {partial.Node} for {partial.WindowStart.ToLocalTime():HH:mm:ss}-{partial.WindowEnd.ToLocalTime():HH:mm:ss} ({added} readings)");
    }

    private sealed class Check
    {
        public static readonly Check Instance = new();
    }

    private sealed class Confirm
    {
        public static readonly Confirm Instance = new();
    }

    /// <summary>One check of the incarnation: when it was asked, how many confirmations make a majority, how many nodes were asked.</summary>
    private sealed record Round(TimeSpan StartedAt, int Quorum, int Reachable)
    {
        public HashSet<IActorRef> Confirmations { get; } = [];
    }

    /// <summary>A window decided and waiting for another process to hold the decision, with the shares it merged and their reporters.</summary>
    private sealed record Decision(RecordedWindow Recorded, IReadOnlyList<(PartialWindow Partial, IActorRef Reporter)> Reports)
    {
        public TimeSpan AskedAt { get; set; }

        public bool Witnessed { get; set; }
    }

    /// <summary>A window sent to <c>max</c>, waiting for its acceptance before the nodes let go of it.</summary>
    private sealed record Sent(long Interval, IReadOnlyList<(PartialWindow Partial, IActorRef Reporter)> Reports, TimeSpan At);

    /// <summary>Sent to itself behind the shares it took from its stash.</summary>
    private sealed class CaughtUp
    {
        public static readonly CaughtUp Instance = new();
    }
}
