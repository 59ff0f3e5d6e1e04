using ActorDemo.Amqp;
using ActorDemo.Readings;

namespace ActorDemo.Aggregator;

/// <summary>
/// One window's count on this node: cumulative since the window opened, with the deliveries and
/// readings the next share adds to the previous one.
/// </summary>
internal sealed class WindowTally(WindowInterval interval)
{
    private readonly List<ReceivedMessage> _deliveries = [];
    private readonly List<TemperatureReading> _readings = [];
    private ReadingMaximum? _highest;
    private int _count;
    private int _duplicates;
    private int _late;
    private DateTimeOffset? _newest;

    public WindowInterval Interval { get; } = interval;

    /// <summary>Whether a reading came since the last share.</summary>
    public bool Changed { get; private set; }

    /// <param name="isNew">False for a reading this node counted before (a resend): settled, not counted twice.</param>
    /// <param name="late">The window had closed on this node when the reading came.</param>
    public void Add(ArrivedReading arrived, bool isNew, bool late)
    {
        if (arrived.Delivery is { } delivery)
        {
            _deliveries.Add(delivery);
        }

        Changed = true;
        if (!isNew)
        {
            _duplicates++;
            return;
        }

        _count++;
        _late += late ? 1 : 0;
        _readings.Add(arrived.Reading);
        _highest = ReadingMaximum.Higher(_highest, new ReadingMaximum(arrived.Reading.Temperature, arrived.Reading.DeviceId));
        if (_newest is not { } newest || arrived.Reading.Timestamp > newest)
        {
            _newest = arrived.Reading.Timestamp;
        }
    }

    public WindowShare Share(bool closed, DateTimeOffset at)
    {
        var share = new WindowShare(Interval, _highest, _count, _duplicates, [.. _deliveries], [.. _readings], closed, at, _late, _newest);
        _deliveries.Clear();
        _readings.Clear();
        Changed = false;
        return share;
    }
}
