using System.Diagnostics.Metrics;

namespace ActorDemo.Sensors;

/// <summary>The publisher's buffer on the node's meter.</summary>
public static class ReadingBufferMetrics
{
    /// <summary>Readings offered and dropped, by why, as instruments observing <paramref name="buffer"/>.</summary>
    public static void Observe(Meter meter, ReadingBuffer buffer)
    {
        meter.CreateObservableCounter("actordemo.readings.offered", () => buffer.Offered, "{reading}", "Readings this node's sensors offered for publishing");
        meter.CreateObservableCounter(
            "actordemo.readings.dropped",
            () => new[]
            {
                new Measurement<long>(buffer.DroppedFull, new KeyValuePair<string, object?>("reason", "buffer-full")),
                new Measurement<long>(buffer.DroppedLate, new KeyValuePair<string, object?>("reason", "stopping")),
            },
            "{reading}",
            "Readings dropped before they were sent: the oldest when the buffer was full, or offered while the node stopped");
    }
}
