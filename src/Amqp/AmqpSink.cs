using Akka;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using Amqp;
using Amqp.Framing;

namespace ActorDemo.Amqp;

/// <summary>Sends messages to an AMQP 1.0 address.</summary>
public static class AmqpSink
{
    /// <summary>
    /// A sink that keeps up to <see cref="AmqpSinkSettings.MaxInFlight"/> messages in flight.
    /// At-least-once (the default): an element is done when the peer settles it; what a lost link
    /// or a release leaves unsettled is sent again once the link is back. At-most-once: messages go
    /// pre-settled, and every so often one unsettled marker tells how far the peer has read; a
    /// congested router may drop pre-settled messages without a word (Qpid Dispatch does), so
    /// <see cref="AmqpLinkMetrics.Presettled"/> counts what went out that way.
    /// Each materialization has a link of its own: its <see cref="AmqpSinkHandle"/> gives the link's
    /// counters and a task that completes when upstream has completed and everything is settled,
    /// and fails on an error that reconnecting cannot cure.
    /// </summary>
    /// <exception cref="AmqpSettingsException">A setting is invalid.</exception>
    public static Sink<Message, AmqpSinkHandle> Create(AmqpSinkSettings settings)
    {
        settings.Validate();
        return Sink.FromGraph(new AmqpSinkStage(settings))
            .Named($"amqp-sink-{settings.Address}");
    }
}

/// <summary>What a materialized <see cref="AmqpSink"/> gives: when it is done, and its link's counters.</summary>
public sealed record AmqpSinkHandle(Task<Done> Completion, AmqpLinkMetrics Metrics);

internal sealed class AmqpSinkStage(AmqpSinkSettings settings)
    : GraphStageWithMaterializedValue<SinkShape<Message>, AmqpSinkHandle>
{
    private readonly Inlet<Message> _in = new("amqp-sink.in");

    public override SinkShape<Message> Shape => new(_in);

    protected override Attributes InitialAttributes => Attributes.CreateName("amqp-sink");

    public override ILogicAndMaterializedValue<AmqpSinkHandle> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var done = new TaskCompletionSource<Done>(TaskCreationOptions.RunContinuationsAsynchronously);
        var metrics = new AmqpLinkMetrics();
        return new LogicAndMaterializedValue<AmqpSinkHandle>(new Logic(this, done, metrics), new AmqpSinkHandle(done.Task, metrics));
    }

    /// <summary>What an outcome callback carries back into the stage.</summary>
    private readonly record struct Settlement(ILink Link, Message Message, Outcome? Outcome, bool LinkLost);

    private sealed class Logic : AmqpLinkLogic
    {
        private const string ResendTimer = "resend-released";
        private const string RejectionSummaryTimer = "rejection-summary";

        /// <summary>A rejection is logged at once; more in the following interval are summed into one line.</summary>
        private static readonly TimeSpan RejectionLogInterval = TimeSpan.FromSeconds(10);

        private readonly AmqpSinkStage _stage;
        private readonly TaskCompletionSource<Done> _done;
        private readonly StageInbox<Settlement> _settlements;
        private readonly OutcomeCallback _outcomeCallback;
        private readonly int _markerInterval;

        // Sent and not yet settled, with their place in the send order, so that a lost link resends
        // them in order. Keyed by the message itself, which the outcome callback hands back.
        private readonly Dictionary<Message, long> _unsettled = new(ReferenceEqualityComparer.Instance);
        private readonly SendQueue _pending = new();

        // Released or modified by the peer, waiting for their resend: with no receiver to take
        // them a router hands them straight back, so they go again after a growing pause.
        private readonly List<Message> _released = [];
        private int _releaseRounds;

        // At-most-once: how many pre-settled messages each unsettled marker vouches for.
        private readonly Dictionary<Message, int> _markers = new(ReferenceEqualityComparer.Instance);
        private readonly Action<Task> _onFlushed;
        private SenderLink? _link;
        private long _nextSequence;
        private int _sinceMarker;
        private int _presettledInFlight;
        private bool _flushing;

        // Rejections after the one logged, until the summary timer says how many there were.
        private long _rejectionsSinceLogged;
        private Rejected? _lastRejection;

        public Logic(AmqpSinkStage stage, TaskCompletionSource<Done> done, AmqpLinkMetrics metrics)
            : base(stage.Shape, stage.Settings.Endpoint, stage.Settings.Address, stage.Settings.Reconnect, metrics)
        {
            _stage = stage;
            _done = done;
            _markerInterval = Math.Max(1, stage.Settings.MaxInFlight / 8);
            _settlements = new StageInbox<Settlement>(OnSettled, GetAsyncCallback);
            _onFlushed = GetAsyncCallback<Task>(OnFlushed);
            _outcomeCallback = (link, message, outcome, _) => _settlements.Post(new Settlement(link, message, outcome, SettledByLoss(link, outcome)));
            SetHandler(stage._in, onPush: OnPush, onUpstreamFinish: CompleteIfDone, onUpstreamFailure: Fail);
        }

        private bool AtLeastOnce => _stage.Settings.Delivery == DeliveryMode.AtLeastOnce;

        /// <summary>
        /// A link that dies settles its deliveries itself, as rejected with the error it dies of, before
        /// it reads as closed: those the peer never judged. A peer rejects a message for what the
        /// message is, never with a connection's, a session's or a forced detach's condition, nor with
        /// the illegal state AMQPNetLite gives the deliveries of a connection it is closing (CI counted
        /// two readings "rejected: amqp:illegal-state The connection is closing." across a Qpid
        /// Dispatch restart).
        /// </summary>
        private static bool SettledByLoss(ILink link, Outcome? outcome) =>
            link.IsClosed || ((Link)link).Error is not null || ((Link)link).Session.Connection.IsClosed
            || (outcome is Rejected { Error: { Condition: var condition, Description: var description } }
                && (LossConditions.Any(loss => condition.ToString().StartsWith(loss, StringComparison.Ordinal))
                    || (condition.ToString() == "amqp:illegal-state" && description == ClosingConnection)));

        private static readonly string[] LossConditions = ["amqp:connection:", "amqp:session:", "amqp:link:detach-forced"];

        /// <summary>AMQPNetLite's own description of a delivery its closing connection settled.</summary>
        private const string ClosingConnection = "The connection is closing.";

        private int InFlight => _unsettled.Count + _pending.Count + _released.Count + _presettledInFlight;

        public override void PreStart()
        {
            base.PreStart();
            Pull(_stage._in);
        }

        public override void PostStop()
        {
            base.PostStop();
            _done.TrySetException(new AbruptStageTerminationException(this));
        }

        protected override void OpenLink(Session session, OnAttached onAttached)
        {
            var settings = _stage.Settings;
            var name = settings.LinkName ?? $"{settings.Address}-sender-{Guid.NewGuid():N}";
            var attach = new Attach
            {
                Source = new global::Amqp.Framing.Source(),
                Target = new Target
                {
                    Address = settings.Address,
                    Capabilities = LinkSettingsValidation.Symbols(settings.Capabilities),
                    Durable = LinkSettingsValidation.TerminusDurability(settings.Durable),
                },
                SndSettleMode = AtLeastOnce ? SenderSettleMode.Unsettled : SenderSettleMode.Mixed,
            };
            _link = new SenderLink(session, name, attach, onAttached);
            _link.AddClosedCallback(LostCallback(Generation));
            SendPending();
        }

        protected override void OnLinkLost()
        {
            _link = null;
            if (AtLeastOnce)
            {
                // Unsettled at the break: the peer may or may not have them, so they go again.
                foreach (var message in _unsettled.OrderByDescending(sent => sent.Value).Select(sent => sent.Key))
                {
                    _pending.AddFirst(message);
                    Metrics.OnResent();
                }
            }

            _unsettled.Clear();
            _markers.Clear();
            _presettledInFlight = 0;
            _sinceMarker = 0;
            PublishInFlight();
            PullIfRoom();
        }

        private void OnPush()
        {
            _pending.AddLast(Grab(_stage._in));
            SendPending();
            PullIfRoom();
        }

        private void SendPending()
        {
            // A dying link would swallow what is sent to it; its closed callback is on the way.
            while (_link is { IsClosed: false, Error: null } && _pending.Count > 0)
            {
                var message = _pending.RemoveFirst();
                try
                {
                    Send(_link, message);
                }
                catch (AmqpException)
                {
                    // The link broke under us; its closed callback brings the reconnect.
                    _pending.AddFirst(message);
                    break;
                }

                Metrics.OnSent();
            }

            PublishInFlight();
        }

        private void Send(SenderLink link, Message message)
        {
            var sequence = _nextSequence++;
            if (_stage.Settings.Durable)
            {
                message.Header ??= new Header();
                message.Header.Durable = true;
            }

            if (AtLeastOnce)
            {
                link.Send(message, _outcomeCallback, null);
                _unsettled[message] = sequence;
                return;
            }

            if (++_sinceMarker < _markerInterval)
            {
                link.Send(message, null, null);
                _presettledInFlight++;
                Metrics.OnPresettled();
                return;
            }

            link.Send(message, _outcomeCallback, null);
            _unsettled[message] = sequence;
            _markers[message] = _sinceMarker - 1;
            _sinceMarker = 0;
        }

        private void OnSettled(Settlement settlement)
        {
            // A link's identity tells its generation: what a dead link settles concerns nothing any more.
            var message = settlement.Message;
            if (settlement.Link != _link || !_unsettled.Remove(message))
            {
                return;
            }

            if (_markers.Remove(message, out var vouchedFor))
            {
                // At-most-once: a settled marker vouches for the pre-settled messages sent before it.
                _presettledInFlight -= vouchedFor;
                Metrics.OnAccepted();
            }
            else if (settlement.LinkLost || settlement.Outcome is null)
            {
                Metrics.OnReleased();
                Metrics.OnResent();
                _pending.AddFirst(message);
                SendPending();
            }
            else if (settlement.Outcome is Released or Modified)
            {
                Metrics.OnReleased();
                Metrics.OnResent();
                ResendLater(message);
            }
            else if (settlement.Outcome is Rejected rejected)
            {
                Metrics.OnRejected();
                LogRejection(rejected);
            }
            else
            {
                Metrics.OnAccepted();
                _releaseRounds = 0;
                _stage.Settings.OnAccepted?.Invoke(message);
            }

            PublishInFlight();
            PullIfRoom();
            CompleteIfDone();
        }

        private void ResendLater(Message message)
        {
            _released.Add(message);
            if (IsTimerActive(ResendTimer))
            {
                return;
            }

            var pause = _stage.Settings.Reconnect.Delay(_releaseRounds);
            if (_releaseRounds == 0)
            {
                Log.Info("AMQP peer handed back messages sent to '{0}' (released or modified: no receiver took them); they go again in {1:0} ms, and later each time they come back", Address, pause.TotalMilliseconds);
            }

            ScheduleOnce(ResendTimer, pause);
        }

        /// <summary>
        /// A peer that rejects every message (a strict consumer, a wrong address) would otherwise write a
        /// line per message: the first goes at once, then one line per interval with how many more.
        /// </summary>
        private void LogRejection(Rejected rejected)
        {
            if (IsTimerActive(RejectionSummaryTimer))
            {
                _rejectionsSinceLogged++;
                _lastRejection = rejected;
                return;
            }

            Log.Warning("AMQP peer rejected a message sent to '{0}': {1} {2}", Address, rejected.Error?.Condition, rejected.Error?.Description);
            ScheduleOnce(RejectionSummaryTimer, RejectionLogInterval);
        }

        private void SummarizeRejections()
        {
            if (_rejectionsSinceLogged == 0)
            {
                return;
            }

            Log.Warning(
                "AMQP peer rejected {0} more messages sent to '{1}' in the last {2:0} s; the last: {3} {4}",
                _rejectionsSinceLogged,
                Address,
                RejectionLogInterval.TotalSeconds,
                _lastRejection?.Error?.Condition,
                _lastRejection?.Error?.Description);
            _rejectionsSinceLogged = 0;
            ScheduleOnce(RejectionSummaryTimer, RejectionLogInterval);
        }

        protected override void OnStageTimer(object timerKey)
        {
            if (Equals(timerKey, RejectionSummaryTimer))
            {
                SummarizeRejections();
                return;
            }

            // Back in front of what waits, in the order they came back.
            _releaseRounds++;
            for (var i = _released.Count - 1; i >= 0; i--)
            {
                _pending.AddFirst(_released[i]);
            }

            _released.Clear();
            SendPending();
        }

        private void PullIfRoom()
        {
            if (InFlight < _stage.Settings.MaxInFlight && !HasBeenPulled(_stage._in) && !IsClosed(_stage._in))
            {
                Pull(_stage._in);
            }
        }

        private void CompleteIfDone()
        {
            // Pre-settled messages after the last marker have no marker to wait for; closing the link flushes them.
            if (!IsClosed(_stage._in) || _flushing || InFlight - _sinceMarker > 0)
            {
                return;
            }

            if (_link is null || _sinceMarker == 0)
            {
                _done.TrySetResult(Done.Instance);
                CompleteStage();
                return;
            }

            _flushing = true;
            _link.CloseAsync().ContinueWith(_onFlushed, TaskScheduler.Default);
        }

        private void OnFlushed(Task close)
        {
            if (close.IsFaulted)
            {
                Fail(new AmqpLinkException($"Closing the AMQP link to '{Address}' failed: {close.Exception!.GetBaseException().Message}"));
                return;
            }

            _done.TrySetResult(Done.Instance);
            CompleteStage();
        }

        protected override void Fail(Exception cause)
        {
            _done.TrySetException(cause);
            FailStage(cause);
        }

        private void PublishInFlight() => Metrics.SetInFlight(_unsettled.Count, _pending.Count + _released.Count);
    }

    internal AmqpSinkSettings Settings { get; } = settings;
}
