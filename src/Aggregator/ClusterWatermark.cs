namespace ActorDemo.Aggregator;

/// <summary>
/// The event-time watermark as this node last heard it from the singleton: windows that end at or
/// before it are complete, and a reading stamped before it is late. It only moves forward, also
/// across singleton incarnations: a window a node closed stays closed.
/// </summary>
/// <remarks>Told by the reporter actor only; read by the readings stream on any thread.</remarks>
public sealed class ClusterWatermark
{
    private long _ticks = long.MinValue;

    /// <summary>None until the singleton has seen a reading.</summary>
    public DateTimeOffset? Current => Volatile.Read(ref _ticks) is var ticks && ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    public void Advance(DateTimeOffset? watermark)
    {
        if (watermark is not { } advanced)
        {
            return;
        }

        var ticks = advanced.UtcTicks;
        var current = Volatile.Read(ref _ticks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _ticks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
