using ActorDemo.Shared.Readings;
using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>How the singleton merges the nodes' partial windows.</summary>
/// <param name="GracePeriod">How long past a window's end it waits for an aggregator that has not reported.</param>
public sealed record AggregatorSettings(int HistoryLimit, TimeSpan GracePeriod)
{
    /// <summary>How often open windows are checked against the grace period.</summary>
    public TimeSpan CheckInterval => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(GracePeriod.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks)));
}

/// <summary>
/// The cluster-wide view of the windows: a singleton on the aggregator role. Every aggregator node
/// sends it its partial of each aligned window; it emits one maximum per window once every
/// aggregator that was Up during it reported, or the grace period passed; it keeps a bounded
/// history, logs one line per window, sends it to <c>max</c> and tells subscribers. A partial that
/// comes after its window was emitted is counted as late and logged, and added to the history.
/// Each node learns that its partial was recorded, and only then settles the readings it counts.
/// </summary>
public sealed class AggregatorActor : ReceiveActor, IWithTimers
{
    private const string CheckTimer = "check";

    private readonly AggregatorSettings _settings;
    private readonly Sink<WindowMaximum, NotUsed>? _maxima;
    private readonly Func<DateTimeOffset> _clock;
    private readonly WindowMetrics? _metrics;
    private readonly SortedDictionary<long, Dictionary<Address, (PartialWindow Partial, IActorRef Reporter)>> _open = [];
    private readonly LinkedList<RecordedWindow> _history = new();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly Dictionary<Address, DateTimeOffset> _aggregatorsUpSince = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<long> _emitted = [];
    private readonly Queue<long> _emittedOrder = new();
    private ISourceQueueWithComplete<WindowMaximum>? _maximaQueue;
    private long _windows;
    private long _late;

    /// <param name="maxima">Where window maxima go (the address <c>max</c>); none to send them nowhere.</param>
    /// <param name="clock">The singleton's clock, against which the grace period runs.</param>
    /// <param name="metrics">Told every window recorded; none where nothing is exported (specs).</param>
    public AggregatorActor(AggregatorSettings settings, Sink<WindowMaximum, NotUsed>? maxima, Func<DateTimeOffset> clock, WindowMetrics? metrics)
    {
        _settings = settings;
        _maxima = maxima;
        _clock = clock;
        _metrics = metrics;

        Receive<PartialWindow>(OnPartial);
        Receive<Check>(_ => EmitDue());
        Receive<ClusterEvent.MemberUp>(up => MemberUp(up.Member, _clock()));
        Receive<ClusterEvent.IMemberEvent>(changed => _aggregatorsUpSince.Remove(changed.Member.Address));
        Receive<ClusterEvent.UnreachableMember>(unreachable => _aggregatorsUpSince.Remove(unreachable.Member.Address));
        Receive<ClusterEvent.ReachableMember>(reachable => MemberUp(reachable.Member, DateTimeOffset.MinValue));
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<GetSummary>(_ => Sender.Tell(new Summary(_history.Last?.Value, _windows, _late)));
        Receive<GetHistory>(get => Sender.Tell(new History(_history.TakeLast(Math.Max(0, get.Count)).ToList())));
        Receive<SubscribeWindows>(subscribe =>
        {
            _subscribers.Add(subscribe.Subscriber);
            Context.Watch(subscribe.Subscriber);
        });
        Receive<Terminated>(terminated => _subscribers.Remove(terminated.ActorRef));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(AggregatorSettings settings, Sink<WindowMaximum, NotUsed>? maxima = null, Func<DateTimeOffset>? clock = null, WindowMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new AggregatorActor(settings, maxima, clock ?? (() => DateTimeOffset.UtcNow), metrics));

    protected override void PreStart()
    {
        var cluster = Cluster.Get(Context.System);
        // The members already Up were Up during every window still to come in: they are waited for.
        foreach (var member in cluster.State.Members.Where(m => m.Status == MemberStatus.Up && !cluster.State.Unreachable.Contains(m)))
        {
            MemberUp(member, DateTimeOffset.MinValue);
        }

        cluster.Subscribe(
            Self,
            ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent),
            typeof(ClusterEvent.IReachabilityEvent));
        if (_maxima is not null)
        {
            _maximaQueue = Source.Queue<WindowMaximum>(100, OverflowStrategy.DropHead).To(_maxima).Run(Context.Materializer().WithNamePrefix(AggregatorHosting.MaximaLink));
        }

        Timers.StartPeriodicTimer(CheckTimer, Check.Instance, _settings.CheckInterval);
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        _maximaQueue?.Complete();
    }

    private void MemberUp(Member member, DateTimeOffset since)
    {
        if (member.HasRole(AggregatorHosting.RoleName) && member.Status == MemberStatus.Up)
        {
            _aggregatorsUpSince[member.Address] = since;
        }
    }

    private void OnPartial(PartialWindow partial)
    {
        // Late only if this singleton emitted the window: after a hand-over, older windows that the
        // previous singleton never emitted come in again from the nodes and still go out.
        if (_emitted.Contains(partial.Interval))
        {
            RecordLate(partial);
            Sender.Tell(new PartialRecorded(partial.Interval));
            return;
        }

        if (!_open.TryGetValue(partial.Interval, out var partials))
        {
            _open[partial.Interval] = partials = [];
        }

        // A node sends a partial again until it hears it was recorded: the last copy stands.
        partials[partial.Node] = (partial, Sender);
        EmitDue();
    }

    /// <summary>
    /// Emits, oldest first, every open window that all expected nodes reported or whose grace period is
    /// over. Windows go out in order, but for older ones that reach a new singleton after a hand-over.
    /// </summary>
    private void EmitDue()
    {
        var now = _clock();
        while (_open.Count > 0)
        {
            var (interval, partials) = _open.First();
            var end = partials.Values.First().Partial.WindowEnd;
            var waitingFor = _aggregatorsUpSince.Where(node => node.Value <= end && !partials.ContainsKey(node.Key));
            if (waitingFor.Any() && now < end + _settings.GracePeriod)
            {
                return;
            }

            _open.Remove(interval);
            Emit(interval, partials.Values.ToList());
        }
    }

    private void Emit(long interval, IReadOnlyList<(PartialWindow Partial, IActorRef Reporter)> reports)
    {
        _emitted.Add(interval);
        _emittedOrder.Enqueue(interval);
        while (_emittedOrder.Count > Math.Max(_settings.HistoryLimit, 1000))
        {
            _emitted.Remove(_emittedOrder.Dequeue());
        }

        var partials = reports.Select(r => r.Partial).OrderBy(p => p.Node.ToString(), StringComparer.Ordinal).ToList();
        var count = partials.Sum(p => p.Count);
        if (count > 0)
        {
            var highest = partials.Select(p => p.Max is { } max ? new ReadingMaximum(max, p.DeviceId!) : null).Aggregate(ReadingMaximum.Higher)!;
            var window = new WindowMaximum(partials[0].WindowStart, partials[0].WindowEnd, highest.Temperature, highest.DeviceId, count, partials.Count);
            var recorded = new RecordedWindow(window, partials, 0);
            Record(recorded);
            _metrics?.OnRecorded(recorded, _clock());
            _log.Info(WindowMaximum.LogTemplate, window.LogValues());
            _maximaQueue?.OfferAsync(window);
        }

        foreach (var (_, reporter) in reports)
        {
            reporter.Tell(new PartialRecorded(interval));
        }
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

    /// <summary>A partial after its window was emitted: added to the history's window, logged, counted; never dropped silently.</summary>
    private void RecordLate(PartialWindow partial)
    {
        var entry = _history.Last;
        while (entry is not null && entry.Value.Window.WindowStart != partial.WindowStart)
        {
            entry = entry.Previous;
        }

        if (entry?.Value.Partials.Any(p => p.Node == partial.Node) == true)
        {
            // A copy the reporter sent again before it heard that the first was recorded: not late, and already counted.
            return;
        }

        _late++;
        if (entry?.Value is { } recorded && partial.Count > 0)
        {
            var window = recorded.Window;
            var highest = ReadingMaximum.Higher(new ReadingMaximum(window.Max, window.DeviceId), new ReadingMaximum(partial.Max!.Value, partial.DeviceId!))!;
            entry.Value = new RecordedWindow(
                window with { Max = highest.Temperature, DeviceId = highest.DeviceId, Count = window.Count + partial.Count, Nodes = window.Nodes + 1 },
                [.. recorded.Partials, partial],
                recorded.Late + 1);
        }

        if (partial.Count == 0)
        {
            return;
        }

        _log.Warning(
            "A partial window from {0} came after {1:HH:mm:ss}-{2:HH:mm:ss} was emitted ({3} readings): added to the history, not sent to 'max' again; a longer grace period (--grace) waits for it.",
            partial.Node,
            partial.WindowStart.ToLocalTime(),
            partial.WindowEnd.ToLocalTime(),
            partial.Count);
    }

    private sealed class Check
    {
        public static readonly Check Instance = new();
    }
}
