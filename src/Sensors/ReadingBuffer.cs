using System.Threading.Channels;
using ActorDemo.Readings;
using Akka;
using Akka.Streams.Dsl;

namespace ActorDemo.Sensors;

/// <summary>
/// The head of the publishing stream: a bounded buffer that readings are offered to without ever
/// waiting. When it is full the oldest reading is dropped and counted: an anycast address gives no
/// credit while no receiver is attached, and a sensor must not block on that. A bounded channel
/// that drops its oldest item, read by Akka's channel source; it measured as fast as a stage of
/// our own (docs/benchmarks.md).
/// </summary>
public sealed class ReadingBuffer
{
    private readonly Channel<TemperatureReading> _channel;
    private long _offered;
    private long _droppedFull;
    private long _droppedLate;

    /// <param name="capacity">The most readings held; every sensor of the node writes to it.</param>
    public ReadingBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _channel = Channel.CreateBounded<TemperatureReading>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false },
            _ => Interlocked.Increment(ref _droppedFull));
        Readings = ChannelSource.FromReader(_channel.Reader).Named("reading-buffer");
    }

    public int Capacity { get; }

    /// <summary>What was offered, in order; completes once <see cref="Complete"/> was called and all is taken.</summary>
    public Source<TemperatureReading, NotUsed> Readings { get; }

    public long Offered => Interlocked.Read(ref _offered);

    /// <summary>Readings dropped because the buffer was full, or offered after completion.</summary>
    public long Dropped => DroppedFull + DroppedLate;

    /// <summary>The oldest readings, dropped to make room: no credit came for that long.</summary>
    public long DroppedFull => Interlocked.Read(ref _droppedFull);

    /// <summary>Readings offered after <see cref="Complete"/>: the node was stopping.</summary>
    public long DroppedLate => Interlocked.Read(ref _droppedLate);

    public int Buffered => _channel.Reader.Count;

    /// <summary>Buffers the reading; false when that dropped one (the oldest, or this one after completion).</summary>
    public bool Offer(TemperatureReading reading)
    {
        var droppedBefore = DroppedFull;
        if (!_channel.Writer.TryWrite(reading))
        {
            Interlocked.Increment(ref _droppedLate);
            return false;
        }

        Interlocked.Increment(ref _offered);
        return DroppedFull == droppedBefore;
    }

    /// <summary>No more readings: the stream completes once the buffered ones are taken.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
