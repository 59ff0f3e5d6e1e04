using ActorDemo.Shared.Readings;

namespace ActorDemo.Aggregator;

/// <summary>
/// Recognises a reading this node has already counted, by (device id, seq): a sender that lost its
/// link sends again what was unsettled, and the router may deliver it here twice. For each device it
/// keeps the highest seq seen and which of the 64 below it were seen, as anti-replay windows do; a
/// seq far below that is taken as a restarted sensor, not as a duplicate.
/// </summary>
public sealed class RecentReadings
{
    private const int Span = 64;

    private readonly Dictionary<string, (long Highest, ulong Seen)> _devices = new(StringComparer.Ordinal);

    /// <summary>True the first time a reading is seen; false for a duplicate. Readings without a device id are always new.</summary>
    public bool IsNew(TemperatureReading reading)
    {
        if (reading.DeviceId == TemperatureReading.UnknownDevice)
        {
            return true;
        }

        if (!_devices.TryGetValue(reading.DeviceId, out var device) || reading.Seq > device.Highest)
        {
            var shift = device == default ? Span : reading.Seq - device.Highest;
            var seen = shift >= Span ? 0UL : device.Seen << (int)shift;
            _devices[reading.DeviceId] = (reading.Seq, seen | 1UL);
            return true;
        }

        var behind = device.Highest - reading.Seq;
        if (behind >= Span)
        {
            _devices[reading.DeviceId] = (reading.Seq, 1UL);
            return true;
        }

        var bit = 1UL << (int)behind;
        if ((device.Seen & bit) != 0)
        {
            return false;
        }

        _devices[reading.DeviceId] = device with { Seen = device.Seen | bit };
        return true;
    }
}
