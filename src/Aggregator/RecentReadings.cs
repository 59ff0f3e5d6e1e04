using ActorDemo.Readings;

namespace ActorDemo.Aggregator;

/// <summary>
/// Recognises a reading this node has already counted, by (device id, seq): a sender that lost its
/// link sends again what was unsettled, and the router may deliver it here twice. For each device it
/// keeps the highest seq seen and which of the 64 below it were seen, as anti-replay windows do; a
/// seq far below that is taken as a restarted sensor, not as a duplicate.
/// </summary>
/// <remarks>
/// Memory is bounded whatever device ids arrive: devices are kept in two generations of at most
/// <c>capacity / 2</c> each; when the current one is full the older is dropped. A device seen in
/// either is remembered, so only devices silent for a whole generation are forgotten, and a
/// duplicate is a resend from seconds ago.
/// </remarks>
public sealed class RecentReadings(int capacity = RecentReadings.DefaultCapacity)
{
    /// <summary>
    /// Devices remembered. With the longest ids an aggregator's memory levels off about 190 MiB above
    /// idle at this bound (measured, docs/reliability.md): within its pod's limit whatever ids arrive.
    /// A larger fleet still has its resends of the last moments recognised, not older ones.
    /// </summary>
    public const int DefaultCapacity = 200_000;

    private const int Span = 64;

    private Dictionary<string, (long Highest, ulong Seen)> _devices = new(StringComparer.Ordinal);
    private Dictionary<string, (long Highest, ulong Seen)> _older = new(StringComparer.Ordinal);

    /// <summary>Devices remembered now, at most the capacity.</summary>
    public int Count => _devices.Count + _older.Count;

    /// <summary>True the first time a reading is seen; false for a duplicate. Readings without a device id are always new.</summary>
    public bool IsNew(TemperatureReading reading)
    {
        if (reading.DeviceId == TemperatureReading.UnknownDevice)
        {
            return true;
        }

        var current = _devices.TryGetValue(reading.DeviceId, out var device);
        var known = current || _older.TryGetValue(reading.DeviceId, out device);
        if (!known || reading.Seq > device.Highest)
        {
            var shift = known ? reading.Seq - device.Highest : Span;
            var seen = shift >= Span ? 0UL : device.Seen << (int)shift;
            Remember(reading.DeviceId, (reading.Seq, seen | 1UL), current);
            return true;
        }

        var behind = device.Highest - reading.Seq;
        if (behind >= Span)
        {
            Remember(reading.DeviceId, (reading.Seq, 1UL), current);
            return true;
        }

        var bit = 1UL << (int)behind;
        if ((device.Seen & bit) != 0)
        {
            return false;
        }

        Remember(reading.DeviceId, device with { Seen = device.Seen | bit }, current);
        return true;
    }

    /// <param name="current">Whether the device is in the current generation already.</param>
    private void Remember(string deviceId, (long Highest, ulong Seen) device, bool current)
    {
        if (!current)
        {
            if (_devices.Count >= Math.Max(1, capacity / 2))
            {
                (_older, _devices) = (_devices, _older);
                _devices.Clear();
            }

            _older.Remove(deviceId);
        }

        _devices[deviceId] = device;
    }
}
