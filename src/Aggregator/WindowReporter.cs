using System.Text.Json;
using ActorDemo.Amqp;
using ActorDemo.Readings;
using Akka.Actor;
using Akka.Event;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>
/// This node's go-between to the aggregator singleton. Every share the readings stream cuts goes to
/// the singleton as a numbered, cumulative snapshot; a reading is accepted at the router as soon as
/// the singleton acknowledged a snapshot that covers it, a fraction of a second after it arrived.
/// The reporter keeps each window's latest snapshot until the window went out, and sends them all
/// again to a new singleton incarnation, so a hand-over loses no acknowledged share. It also answers
/// the singleton's incarnation checks and holds copies of the singleton's own node's shares and of
/// the windows it decided, until they went out: in memory for another node, in its
/// <see cref="ShareJournal"/> for its own when the singleton is alone. What the journal kept from a
/// previous run of the node is counted again, added to the shares of the same windows, and its
/// decided windows go to the next singleton as they stand.
/// </summary>
public sealed class WindowReporter : ReceiveActor, IWithTimers
{
    /// <summary>Its name under /user on every aggregator node, where the singleton finds it.</summary>
    public const string ActorName = "window-reporter";

    public static readonly TimeSpan DefaultResendInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>A clock this far from the singleton's is told once per incarnation.</summary>
    private static readonly TimeSpan ClockWarning = TimeSpan.FromMilliseconds(500);

    private readonly IActorRef _aggregator;
    private readonly Address _node;
    private readonly SortedDictionary<long, Ledger> _ledgers = [];
    private readonly Dictionary<(Address Node, long Interval), PartialWindow> _witnessed = [];
    private readonly ShareJournal _journal;
    private readonly ReadingLedger? _ledger;
    private readonly ClusterClock _clock;
    private readonly ClusterWatermark _watermark;
    private readonly Dictionary<long, PartialWindow> _journaled = [];
    private readonly Dictionary<long, PartialWindow> _carried = [];
    private readonly SortedDictionary<long, HeldDecision> _decisions = [];
    private readonly Dictionary<long, HeldDecision> _journaledDecisions = [];
    private readonly List<IActorRef> _drainWaiters = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _seq;
    private long _unsettled;
    private long _newestIncarnation;
    private long _lastEmitted = -1;
    private long _clockReported;
    private bool _journalFailing;

    /// <param name="aggregator">The singleton, through its proxy.</param>
    /// <param name="clock">Told the singleton's clock by every incarnation check.</param>
    /// <param name="ledger">Told the readings of every share before the share leaves; none when the node keeps no ledger.</param>
    /// <param name="watermark">Told the event-time watermark by every incarnation check.</param>
    public WindowReporter(IActorRef aggregator, Address node, ShareJournal journal, TimeSpan resendInterval, ClusterClock clock, ReadingLedger? ledger, ClusterWatermark watermark)
    {
        _clock = clock;
        _watermark = watermark;
        _aggregator = aggregator;
        _node = node;
        _journal = journal;
        _ledger = ledger;

        Receive<WindowShare>(OnShare);
        Receive<PartialAcknowledged>(OnAcknowledged);
        Receive<ConfirmIncarnation>(OnConfirm);
        Receive<WitnessPartial>(OnWitness);
        Receive<WitnessDecision>(OnWitnessDecision);
        Receive<WindowEmitted>(OnEmitted);
        Receive<Resend>(_ =>
        {
            foreach (var ledger in _ledgers.Values.Where(l => l.Latest.Seq > l.AcknowledgedSeq))
            {
                _aggregator.Tell(ledger.Latest);
            }
        });
        Receive<WindowReporterProtocol.Drain>(_ =>
        {
            _drainWaiters.Add(Sender);
            ReplyIfDrained();
        });
        Timers.StartPeriodicTimer(nameof(Resend), Resend.Instance, resendInterval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(
        IActorRef aggregator, Address node, ShareJournal journal, TimeSpan? resendInterval = null, ClusterClock? clock = null, ReadingLedger? ledger = null, ClusterWatermark? watermark = null) =>
        Akka.Actor.Props.Create(() => new WindowReporter(aggregator, node, journal, resendInterval ?? DefaultResendInterval, clock ?? new ClusterClock(), ledger, watermark ?? new ClusterWatermark()));

    protected override void PreStart()
    {
        _ledger?.Node(_node.ToString());
        ShareJournal.Kept journal;
        try
        {
            journal = _journal.Load(_node);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            _log.Error("The shares a previous run of this node kept in {0} cannot be read ({1}); they are not counted. Move the file away once you have looked at it.", _journal.Path, e.Message);
            return;
        }

        if (journal.Foreign is { } foreign)
        {
            _log.Warning("The share journal in {0} was written by a node reading {1}, not {2} as this one does; its readings are not counted here. It is moved to {3}; give each pipeline's aggregator a --state-dir of its own.", _journal.Path, foreign.Source, _journal.Source, foreign.MovedTo);
        }

        foreach (var decision in journal.Decisions)
        {
            _decisions[decision.Interval] = decision;
            _journaledDecisions[decision.Interval] = decision;
        }

        if (journal.Decisions.Count > 0)
        {
            _log.Warning("{0} windows that a previous run of this node decided but may not have sent to 'max' go to the singleton again from {1}, as they were decided.", journal.Decisions.Count, _journal.Path);
        }

        var kept = journal.Shares;
        var now = DateTimeOffset.UtcNow;
        foreach (var share in kept)
        {
            // The previous run adds nothing more; a window still open gets this run's readings added.
            var carried = share with { Closed = share.Closed || share.WindowEnd <= now };
            _carried[share.Interval] = carried;
            _journaled[share.Interval] = carried;
            _ledgers[share.Interval] = new Ledger(carried);
            _ledger?.Carried(share.Interval, share.Count);
            _seq = Math.Max(_seq, share.Seq);
        }

        if (kept.Count > 0)
        {
            _log.Warning("{0} readings of {1} windows that a previous run of this node had settled are counted again from {2}.", kept.Sum(s => s.Count), kept.Count, _journal.Path);
        }
    }

    private void OnShare(WindowShare share)
    {
        _ledger?.Counted(share.Interval.Index, share.NewReadings);
        var (highest, count, duplicates, late, newest) = (share.Highest, share.Count, share.Duplicates, share.Late, share.Newest);
        if (_carried.TryGetValue(share.Interval.Index, out var carried))
        {
            highest = ReadingMaximum.Higher(carried.Highest(), highest);
            (count, duplicates, late) = (count + carried.Count, duplicates + carried.Duplicates, late + carried.Late);
            newest = carried.Newest is { } before && (newest is null || before > newest) ? before : newest;
        }

        var partial = new PartialWindow(
            _node,
            share.Interval.Index,
            share.Interval.Start,
            share.Interval.End,
            highest?.Temperature,
            highest?.DeviceId,
            count,
            duplicates,
            share.At,
            ++_seq,
            share.Closed,
            late,
            newest);
        if (share.Closed && share.Duplicates > 0)
        {
            _log.Info("{0} readings of {1:HH:mm:ss}-{2:HH:mm:ss} arrived again and were counted once", share.Duplicates, partial.WindowStart.ToLocalTime(), partial.WindowEnd.ToLocalTime());
        }

        if (!_ledgers.TryGetValue(partial.Interval, out var ledger))
        {
            _ledgers[partial.Interval] = ledger = new Ledger(partial);
        }

        ledger.Latest = partial;
        if (share.NewDeliveries.Count > 0)
        {
            ledger.Batches.Enqueue((partial.Seq, share.NewDeliveries));
            _unsettled += share.NewDeliveries.Count;
        }

        _aggregator.Tell(partial);
    }

    private void OnAcknowledged(PartialAcknowledged acknowledged)
    {
        if (acknowledged.Node != _node || !Observe(acknowledged.Incarnation) || !_ledgers.TryGetValue(acknowledged.Interval, out var ledger))
        {
            return;
        }

        while (ledger.Batches.TryPeek(out var batch) && batch.Seq <= acknowledged.Seq)
        {
            ledger.Batches.Dequeue();
            foreach (var delivery in batch.Deliveries)
            {
                delivery.Accept();
            }

            _unsettled -= batch.Deliveries.Count;
        }

        ledger.AcknowledgedSeq = Math.Max(ledger.AcknowledgedSeq, acknowledged.Seq);
        if (acknowledged.Emitted)
        {
            ledger.Emitted = true;
            _lastEmitted = Math.Max(_lastEmitted, acknowledged.Interval);
        }

        if (ledger is { Emitted: true, Latest.Closed: true } && ledger.AcknowledgedSeq >= ledger.Latest.Seq)
        {
            _ledgers.Remove(acknowledged.Interval);
            _carried.Remove(acknowledged.Interval);
        }

        ReplyIfDrained();
    }

    private void OnConfirm(ConfirmIncarnation confirm)
    {
        if (!Observe(confirm.Incarnation))
        {
            Sender.Tell(new IncarnationSuperseded(_newestIncarnation));
            return;
        }

        _clock.Observe(confirm.Incarnation, confirm.SentAt);
        _watermark.Advance(confirm.Watermark);
        if (_clockReported < confirm.Incarnation && _clock.Settled && _clock.Offset.Duration() >= ClockWarning)
        {
            _clockReported = confirm.Incarnation;
            _log.Warning(
                "The singleton's clock is {0:0.0} s {1} this node's: the node cuts its windows by the singleton's clock, but fix the clocks (NTP): reading timestamps and logs disagree.",
                _clock.Offset.Duration().TotalSeconds,
                _clock.Offset > TimeSpan.Zero ? "ahead of" : "behind");
        }

        Sender.Tell(new IncarnationConfirmed(confirm.Incarnation, confirm.Round, _lastEmitted));
    }

    private void OnWitness(WitnessPartial witness)
    {
        if (!Observe(witness.Incarnation))
        {
            Sender.Tell(new IncarnationSuperseded(_newestIncarnation));
            return;
        }

        var partial = witness.Partial;
        if (partial.Node == _node)
        {
            KeepOnDisk(partial, witness.Incarnation);
            return;
        }

        var key = (partial.Node, partial.Interval);
        if (!_witnessed.TryGetValue(key, out var held) || held.Seq < partial.Seq)
        {
            _witnessed[key] = partial;
        }

        Sender.Tell(new PartialWitnessed(partial.Node, partial.Interval, _witnessed[key].Seq, witness.Incarnation));
    }

    /// <summary>
    /// Holds a window the singleton decided until it went out; the singleton's own node (a lone
    /// singleton's) keeps it on disk first. Confirmed even when the disk fails: the readings of a lone
    /// aggregator whose journal fails are settled only once their window went out (see
    /// <see cref="SaveJournal"/>), so none is lost, and a window would otherwise never go out.
    /// </summary>
    private void OnWitnessDecision(WitnessDecision witness)
    {
        if (!Observe(witness.Incarnation))
        {
            Sender.Tell(new IncarnationSuperseded(_newestIncarnation));
            return;
        }

        var decision = new HeldDecision(witness.Interval, witness.Decision);
        _decisions[witness.Interval] = decision;
        if (Sender.Path.Address.HasLocalScope)
        {
            _journaledDecisions[witness.Interval] = decision;
            SaveJournal();
        }

        Sender.Tell(new DecisionWitnessed(witness.Interval, witness.Incarnation));
    }

    private void OnEmitted(WindowEmitted emitted)
    {
        if (!Observe(emitted.Incarnation))
        {
            return;
        }

        _lastEmitted = Math.Max(_lastEmitted, emitted.Interval);
        foreach (var key in _witnessed.Keys.Where(key => key.Interval == emitted.Interval).ToList())
        {
            _witnessed.Remove(key);
        }

        _decisions.Remove(emitted.Interval);
        if (_journaled.Remove(emitted.Interval) | _journaledDecisions.Remove(emitted.Interval))
        {
            SaveJournal();
        }
    }

    /// <summary>The lone singleton's copy of this node's own share: on disk, and only then confirmed.</summary>
    private void KeepOnDisk(PartialWindow partial, long incarnation)
    {
        if (_journaled.TryGetValue(partial.Interval, out var kept) && kept.Seq >= partial.Seq)
        {
            Sender.Tell(new PartialWitnessed(partial.Node, partial.Interval, kept.Seq, incarnation));
            return;
        }

        _journaled[partial.Interval] = partial;
        if (SaveJournal())
        {
            Sender.Tell(new PartialWitnessed(partial.Node, partial.Interval, partial.Seq, incarnation));
        }
    }

    /// <summary>False when the file cannot be written: the singleton then acknowledges the share once its window went out.</summary>
    private bool SaveJournal()
    {
        try
        {
            _journal.Save(_journaled.Values, _journaledDecisions.Values);
            if (_journalFailing)
            {
                _journalFailing = false;
                _log.Info("The share journal {0} is written again.", _journal.Path);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!_journalFailing)
            {
                _journalFailing = true;
                _log.Error("The share journal {0} cannot be written ({1}): this lone aggregator settles readings only once their window went out, so it carries less; give --state-dir a writable folder.", _journal.Path, e.Message);
            }

            return false;
        }
    }

    /// <summary>
    /// False for a message of an incarnation older than the newest seen: a singleton that was paused
    /// or cut off, whose word no longer counts. A newer one is a new singleton: it is sent every
    /// share it may not have, this node's and those held for others.
    /// </summary>
    private bool Observe(long incarnation)
    {
        if (incarnation < _newestIncarnation)
        {
            return false;
        }

        if (incarnation > _newestIncarnation)
        {
            _newestIncarnation = incarnation;
            foreach (var ledger in _ledgers.Values)
            {
                // An emitted window's share is only sent again if it grew since (a late share).
                if (!ledger.Emitted)
                {
                    ledger.AcknowledgedSeq = 0;
                }

                if (ledger.Latest.Seq > ledger.AcknowledgedSeq)
                {
                    Sender.Tell(ledger.Latest);
                }
            }

            foreach (var held in _witnessed.Values)
            {
                Sender.Tell(held);
            }

            foreach (var decision in _decisions.Values)
            {
                Sender.Tell(decision);
            }
        }

        return true;
    }

    private void ReplyIfDrained()
    {
        if (_unsettled > 0)
        {
            return;
        }

        foreach (var waiter in _drainWaiters)
        {
            waiter.Tell(WindowReporterProtocol.Drained.Instance);
        }

        _drainWaiters.Clear();
    }

    /// <summary>One window's share on this node: its latest snapshot and the deliveries not yet settled, by snapshot.</summary>
    private sealed class Ledger(PartialWindow latest)
    {
        public PartialWindow Latest { get; set; } = latest;

        public Queue<(long Seq, IReadOnlyList<ReceivedMessage> Deliveries)> Batches { get; } = new();

        /// <summary>The newest snapshot the current incarnation acknowledged; 0 for none.</summary>
        public long AcknowledgedSeq { get; set; }

        public bool Emitted { get; set; }
    }

    private sealed class Resend
    {
        public static readonly Resend Instance = new();
    }
}
