using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using Amqp;

namespace ActorDemo.Shared.Amqp;

/// <summary>Reads messages from an AMQP 1.0 address.</summary>
public static class AmqpSource
{
    /// <summary>
    /// A source of unsettled messages from <see cref="AmqpSourceSettings.Address"/>. The peer may
    /// send at most <see cref="AmqpSourceSettings.Credit"/> messages ahead of their settlement;
    /// credit is restored as downstream settles them, in steps of half the window. A lost link
    /// is re-established inside the stage; what it held unsettled the peer delivers again.
    /// </summary>
    /// <exception cref="AmqpSettingsException">A setting is invalid.</exception>
    public static Source<ReceivedMessage, NotUsed> Create(AmqpSourceSettings settings, AmqpLinkMetrics? metrics = null)
    {
        settings.Validate();
        return Source.FromGraph(new AmqpSourceStage(settings, metrics ?? new AmqpLinkMetrics()))
            .Named($"amqp-source-{settings.Address}");
    }
}

internal sealed class AmqpSourceStage(AmqpSourceSettings settings, AmqpLinkMetrics metrics)
    : GraphStage<SourceShape<ReceivedMessage>>
{
    private readonly Outlet<ReceivedMessage> _out = new("amqp.out");

    public override SourceShape<ReceivedMessage> Shape => new(_out);

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : AmqpLinkLogic
    {
        private readonly AmqpSourceStage _stage;
        private readonly Queue<ReceivedMessage> _buffer = new();
        private readonly Action<(int Generation, ReceivedMessage Message)> _onMessage;
        private ReceiverLink? _link;

        public Logic(AmqpSourceStage stage)
            : base(stage.Shape, stage.Settings.Endpoint, stage.Settings.Address, stage.Settings.Reconnect, stage.Metrics)
        {
            _stage = stage;
            _onMessage = GetAsyncCallback<(int, ReceivedMessage)>(OnMessage);
            SetHandler(stage._out, onPull: PushBuffered, onDownstreamFinish: _ => CompleteStage());
        }

        protected override void OpenLink(Session session, OnAttached onAttached)
        {
            var generation = Generation;
            var settings = _stage.Settings;
            var name = settings.LinkName ?? $"{settings.Address}-receiver-{Guid.NewGuid():N}";
            _link = new ReceiverLink(session, name, new global::Amqp.Framing.Source { Address = settings.Address }, onAttached);
            _link.AddClosedCallback(LostCallback(generation));
            var link = _link;
            // Credit is restored as messages are settled, so the peer is never more than the window ahead.
            _link.Start(settings.Credit, (_, message) =>
            {
                Metrics.OnReceived();
                _onMessage((generation, new ReceivedMessage(link, message, Metrics)));
            });
        }

        protected override void OnLinkLost()
        {
            // The peer releases what the dead link held and delivers it again; pushing it would duplicate it.
            _buffer.Clear();
            _link = null;
        }

        private void OnMessage((int Generation, ReceivedMessage Message) received)
        {
            if (received.Generation != Generation)
            {
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

    internal AmqpLinkMetrics Metrics { get; } = metrics;
}
