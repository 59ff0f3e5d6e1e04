using System.Runtime.CompilerServices;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using Amqp;

namespace ActorDemo.Amqp;

/// <summary>Reads messages from an AMQP 1.0 address.</summary>
public static class AmqpSource
{
    /// <summary>
    /// A source of unsettled messages from <see cref="AmqpSourceSettings.Address"/>. The peer may
    /// send at most <see cref="AmqpSourceSettings.Credit"/> messages ahead of their settlement;
    /// credit is restored as downstream settles them, in steps of half the window. A lost link
    /// is re-established inside the stage; what it held unsettled the peer delivers again.
    /// </summary>
    /// <remarks>Each materialization has a link of its own, and its own counters: the materialized value.</remarks>
    /// <exception cref="AmqpSettingsException">A setting is invalid.</exception>
    public static Source<ReceivedMessage, AmqpLinkMetrics> Create(AmqpSourceSettings settings)
    {
        settings.Validate();
        return Source.FromGraph(new AmqpSourceStage(settings))
            .Named($"amqp-source-{settings.Address}");
    }
}

internal sealed class AmqpSourceStage(AmqpSourceSettings settings)
    : GraphStageWithMaterializedValue<SourceShape<ReceivedMessage>, AmqpLinkMetrics>
{
    private readonly Outlet<ReceivedMessage> _out = new("amqp-source.out");

    public override SourceShape<ReceivedMessage> Shape => new(_out);

    protected override Attributes InitialAttributes => Attributes.CreateName("amqp-source");

    public override ILogicAndMaterializedValue<AmqpLinkMetrics> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var metrics = new AmqpLinkMetrics();
        return new LogicAndMaterializedValue<AmqpLinkMetrics>(new Logic(this, metrics), metrics);
    }

    private sealed class Logic : AmqpLinkLogic
    {
        private const string SettledCheck = "settled-check";
        private const string SettleTimeout = "settle-timeout";

        private readonly AmqpSourceStage _stage;
        private readonly Queue<ReceivedMessage> _buffer = new();
        private readonly StageInbox<(int Generation, ReceivedMessage Message)> _arrivals;
        private ReceiverLink? _link;

        // Messages of the current link not yet settled, counted without entering the stage (it only
        // looks while it finishes); each link has its own, so late settlements of a dead one miscount nothing.
        private StrongBox<long> _unsettled = new();
        private bool _finishing;

        public Logic(AmqpSourceStage stage, AmqpLinkMetrics metrics)
            : base(stage.Shape, stage.Settings.Endpoint, stage.Settings.Address, stage.Settings.Reconnect, metrics)
        {
            _stage = stage;
            _arrivals = new StageInbox<(int, ReceivedMessage)>(OnMessage, GetAsyncCallback);
            SetHandler(stage._out, onPull: PushBuffered, onDownstreamFinish: _ => Finish());
        }

        protected override void OnTimer(object timerKey)
        {
            if (timerKey is SettledCheck or SettleTimeout)
            {
                if (timerKey is SettleTimeout || Interlocked.Read(ref _unsettled.Value) <= 0)
                {
                    CompleteStage();
                }

                return;
            }

            base.OnTimer(timerKey);
        }

        /// <summary>
        /// Downstream is done: no new messages (credit to zero, those not yet pushed handed back), but
        /// the link stays until what was pushed is settled, so that a stopping consumer's last
        /// acceptances still reach the peer instead of its messages going round again.
        /// </summary>
        private void Finish()
        {
            _finishing = true;
            _link?.SetCredit(0);
            while (_buffer.TryDequeue(out var unpushed))
            {
                unpushed.Release();
            }

            if (_link is null || Interlocked.Read(ref _unsettled.Value) <= 0)
            {
                CompleteStage();
                return;
            }

            ScheduleRepeatedly(SettledCheck, TimeSpan.FromMilliseconds(50));
            ScheduleOnce(SettleTimeout, _stage.Settings.SettleTimeout);
        }

        protected override void OpenLink(Session session, OnAttached onAttached)
        {
            var generation = Generation;
            var settings = _stage.Settings;
            var name = settings.LinkName ?? $"{settings.Address}-receiver-{Guid.NewGuid():N}";
            _link = new ReceiverLink(session, name, new global::Amqp.Framing.Source
            {
                Address = settings.Address,
                Capabilities = LinkSettingsValidation.Symbols(settings.Capabilities),
                Durable = LinkSettingsValidation.TerminusDurability(settings.Durable),
            }, onAttached);
            _link.AddClosedCallback(LostCallback(generation));
            var origin = new LinkOrigin(_link);
            var unsettled = _unsettled = new StrongBox<long>();
            Action settled = () => Interlocked.Decrement(ref unsettled.Value);
            // Credit is restored as messages are settled, so the peer is never more than the window ahead.
            _link.Start(settings.Credit, (_, message) =>
            {
                Metrics.OnReceived();
                Interlocked.Increment(ref unsettled.Value);
                _arrivals.Post((generation, new ReceivedMessage(origin, message, Metrics, settled)));
            });
        }

        protected override void OnLinkLost()
        {
            // The peer releases what the dead link held and delivers it again; pushing it would duplicate it.
            _buffer.Clear();
            _link = null;
            if (_finishing)
            {
                // Nothing pushed can be settled any more: there is nothing left to wait for.
                CompleteStage();
            }
        }

        private void OnMessage((int Generation, ReceivedMessage Message) received)
        {
            if (received.Generation != Generation)
            {
                return;
            }

            if (_finishing)
            {
                // Sent on credit given before the finish: back to the peer, for another receiver.
                received.Message.Release();
                return;
            }

            _buffer.Enqueue(received.Message);
            PushBuffered();
        }

        private void PushBuffered()
        {
            if (_buffer.Count > 0 && IsAvailable(_stage._out))
            {
                Push(_stage._out, _buffer.Dequeue());
            }
        }
    }

    internal AmqpSourceSettings Settings { get; } = settings;
}
