using ActorDemo.Shared.Readings;
using Akka.Streams;
using Akka.Streams.Stage;

namespace ActorDemo.Sensors;

/// <summary>
/// The head of the publishing stream: a bounded buffer that readings are offered to without ever
/// waiting. When it is full the oldest reading is dropped and counted: an anycast address gives no
/// credit while no receiver is attached, and a sensor must not block on that. (Akka's
/// <c>Source.Queue</c> with <c>DropHead</c> drops the oldest too, but says nothing of what it dropped.)
/// </summary>
public sealed class ReadingBuffer(int capacity) : GraphStageWithMaterializedValue<SourceShape<TemperatureReading>, ReadingQueue>
{
    private readonly Outlet<TemperatureReading> _out = new("ReadingBuffer.out");

    public override SourceShape<TemperatureReading> Shape => new(_out);

    protected override Attributes InitialAttributes => Attributes.CreateName("reading-buffer");

    public override ILogicAndMaterializedValue<ReadingQueue> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var queue = new ReadingQueue(capacity);
        return new LogicAndMaterializedValue<ReadingQueue>(new Logic(this, queue), queue);
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly ReadingBuffer _stage;
        private readonly ReadingQueue _queue;

        public Logic(ReadingBuffer stage, ReadingQueue queue)
            : base(stage.Shape)
        {
            _stage = stage;
            _queue = queue;
            SetHandler(stage._out, this);
        }

        public override void PreStart() => _queue.Attach(GetAsyncCallback(OnAvailable));

        public override void OnPull() => TryPush();

        public override void OnDownstreamFinish(Exception cause)
        {
            _queue.Complete();
            base.OnDownstreamFinish(cause);
        }

        private void OnAvailable()
        {
            if (IsAvailable(_stage._out))
            {
                TryPush();
            }
        }

        private void TryPush()
        {
            switch (_queue.TryTake(out var reading))
            {
                case ReadingQueue.Take.Reading:
                    Push(_stage._out, reading!);
                    break;
                case ReadingQueue.Take.Finished:
                    CompleteStage();
                    break;
            }
        }
    }
}

/// <summary>The buffer's handle: thread-safe, never blocks, counts what it takes and drops.</summary>
public sealed class ReadingQueue
{
    private readonly object _gate = new();
    private readonly Queue<TemperatureReading> _readings;
    private readonly int _capacity;
    private Action? _wake;
    private bool _waiting;
    private bool _completed;
    private long _offered;
    private long _dropped;

    internal ReadingQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _readings = new Queue<TemperatureReading>(Math.Min(capacity, 1024));
    }

    internal enum Take
    {
        Reading,
        Empty,
        Finished,
    }

    public long Offered => Interlocked.Read(ref _offered);

    /// <summary>Readings dropped because the buffer was full, or offered after completion.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Buffered
    {
        get
        {
            lock (_gate)
            {
                return _readings.Count;
            }
        }
    }

    /// <summary>Buffers the reading; false when that dropped one (the oldest, or this one after completion).</summary>
    public bool Offer(TemperatureReading reading)
    {
        Action? wake = null;
        var dropped = false;
        lock (_gate)
        {
            if (_completed)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }

            Interlocked.Increment(ref _offered);
            if (_readings.Count == _capacity)
            {
                _readings.Dequeue();
                Interlocked.Increment(ref _dropped);
                dropped = true;
            }

            _readings.Enqueue(reading);
            if (_waiting)
            {
                _waiting = false;
                wake = _wake;
            }
        }

        wake?.Invoke();
        return !dropped;
    }

    /// <summary>No more readings: the stream completes once the buffered ones are taken.</summary>
    public void Complete()
    {
        Action? wake;
        lock (_gate)
        {
            _completed = true;
            wake = _waiting ? _wake : null;
            _waiting = false;
        }

        wake?.Invoke();
    }

    internal void Attach(Action wake)
    {
        lock (_gate)
        {
            _wake = wake;
        }
    }

    internal Take TryTake(out TemperatureReading? reading)
    {
        lock (_gate)
        {
            if (_readings.TryDequeue(out reading))
            {
                return Take.Reading;
            }

            if (_completed)
            {
                return Take.Finished;
            }

            _waiting = true;
            return Take.Empty;
        }
    }
}
