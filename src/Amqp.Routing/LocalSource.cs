using Akka.Event;
using Akka.Streams;
using Akka.Streams.Stage;

namespace ActorDemo.Amqp.Routing;

/// <summary>
/// Reads an address of the router in this process, without a connection: each message is handed
/// over as the bytes it arrived in, and each outcome goes straight to its producer. It behaves as
/// <see cref="AmqpSource"/> does towards downstream and the producers (unsettled until downstream
/// settles, at most the credit ahead, handed back as modified when it stops with messages unsettled),
/// but skips the encoding, the socket and the decoding of every transfer, disposition and flow.
/// </summary>
internal sealed class LocalSourceStage(AnycastAddress address, AmqpSourceSettings settings)
    : GraphStageWithMaterializedValue<SourceShape<ReceivedMessage>, AmqpLinkMetrics>
{
    private readonly Outlet<ReceivedMessage> _out = new("local-source.out");
    private readonly AnycastAddress _address = address;
    private readonly AmqpSourceSettings _settings = settings;

    public override SourceShape<ReceivedMessage> Shape => new(_out);

    protected override Attributes InitialAttributes => Attributes.CreateName("local-source");

    public override ILogicAndMaterializedValue<AmqpLinkMetrics> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var metrics = new AmqpLinkMetrics();
        return new LogicAndMaterializedValue<AmqpLinkMetrics>(new Logic(this, metrics), metrics);
    }

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string SettledCheck = "settled-check";
        private const string SettleTimeout = "settle-timeout";

        private readonly LocalSourceStage _stage;
        private readonly AmqpLinkMetrics _metrics;
        private readonly Queue<ReceivedMessage> _buffer = new();
        private readonly LocalConsumer _consumer;
        private readonly Action _settled;
        private long _unsettled;
        private bool _finishing;

        public Logic(LocalSourceStage stage, AmqpLinkMetrics metrics)
            : base(stage.Shape)
        {
            _stage = stage;
            _metrics = metrics;
            var arrivals = new StageInbox<LocalDelivery>(OnDelivery, GetAsyncCallback);
            _consumer = new LocalConsumer(stage._address, stage._settings.Credit, arrivals.Post);
            _settled = () => Interlocked.Decrement(ref _unsettled);
            SetHandler(stage._out, onPull: PushBuffered, onDownstreamFinish: _ => Finish());
        }

        public override void PreStart()
        {
            // It outlives its closed outlet while what it pushed is settled.
            SetKeepGoing(true);
            _stage._address.Add(_consumer);
            _metrics.SetState(LinkStatus.Attached);
            Log.Info("Reading '{0}' from the embedded router in this process: attached, without a connection", _stage._settings.Address);
            _consumer.Start();
        }

        public override void PostStop()
        {
            // What is still unsettled goes back to its producers, as when a link detaches.
            _stage._address.Remove(_consumer);
            _metrics.SetState(LinkStatus.Closed);
        }

        protected override void OnTimer(object timerKey)
        {
            if (timerKey is SettleTimeout || Interlocked.Read(ref _unsettled) <= 0)
            {
                CompleteStage();
            }
        }

        /// <summary>
        /// Downstream is done: no new messages (credit to zero, those not yet pushed handed back), but
        /// the consumer stays until what was pushed is settled, so that a stopping aggregator's last
        /// acceptances still reach the producers instead of their readings going round again.
        /// </summary>
        private void Finish()
        {
            _finishing = true;
            _consumer.Withdraw();
            while (_buffer.TryDequeue(out var unpushed))
            {
                unpushed.Release();
            }

            if (Interlocked.Read(ref _unsettled) <= 0)
            {
                CompleteStage();
                return;
            }

            ScheduleRepeatedly(SettledCheck, TimeSpan.FromMilliseconds(50));
            ScheduleOnce(SettleTimeout, _stage._settings.SettleTimeout);
        }

        private void OnDelivery(LocalDelivery delivery)
        {
            _metrics.OnReceived();
            Interlocked.Increment(ref _unsettled);
            var message = new ReceivedMessage(delivery, delivery.Forward.Inbound.Decode(), _metrics, _settled);
            if (_finishing)
            {
                // Handed over on credit given before the finish: back to the producer, for another consumer.
                message.Release();
                return;
            }

            _buffer.Enqueue(message);
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
}
