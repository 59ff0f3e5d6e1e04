namespace ActorDemo.Aggregator;

/// <summary>With windows by event time: the lateness allowed and when the cluster counts as idle.</summary>
/// <param name="AllowedLateness">How far the watermark trails the newest timestamp seen.</param>
/// <param name="IdleAfter">With no newer timestamp for this long, the watermark follows the singleton's clock instead, so that the last windows close when readings stop.</param>
public sealed record EventTimeSettings(TimeSpan AllowedLateness, TimeSpan IdleAfter);

/// <summary>
/// The cluster's event-time watermark, as the singleton keeps it: the newest reading timestamp any
/// aggregator node's share carried, minus the allowed lateness. A timestamp is taken no further than
/// the singleton's clock, so a sensor whose clock runs ahead cannot close windows early; a sensor
/// whose clock runs behind only makes its own readings late, since the newest timestamp counts, not
/// the oldest. When no newer timestamp has come for <see cref="EventTimeSettings.IdleAfter"/>, the
/// clock stands in for it. Until the first timestamp there is none: a backlog read by aggregators
/// that just started lands in its own windows. It never moves back.
/// </summary>
public sealed class EventTimeWatermark(EventTimeSettings settings, Func<DateTimeOffset> clock, Func<TimeSpan> monotonic)
{
    private DateTimeOffset? _newest;
    private TimeSpan _advancedAt;
    private DateTimeOffset? _current;

    /// <summary>A share's newest timestamp.</summary>
    public void Observe(DateTimeOffset? timestamp)
    {
        if (timestamp is not { } seen)
        {
            return;
        }

        var now = clock();
        var capped = seen < now ? seen : now;
        if (_newest is null || capped > _newest)
        {
            _newest = capped;
            _advancedAt = monotonic();
        }
    }

    /// <summary>Windows ending at or before it are complete; none before the first timestamp.</summary>
    public DateTimeOffset? Current()
    {
        if (_newest is not { } newest)
        {
            return null;
        }

        var basis = monotonic() - _advancedAt >= settings.IdleAfter ? clock() : newest;
        var candidate = basis - settings.AllowedLateness;
        if (_current is not { } current || candidate > current)
        {
            _current = candidate;
        }

        return _current;
    }
}
