using System.Diagnostics;

namespace ActorDemo.Amqp;

/// <summary>
/// Reports an event that may come in floods at a bounded rate: the first at once, then, at the end of
/// each interval in which more came, one report of how many and the latest, so that a flood cannot
/// flood the log, nor go unreported once it stops. Safe to call from any thread.
/// </summary>
/// <param name="report">Told how many events came since the last report (at least one) and the latest.</param>
public sealed class ThrottledReport<T>(TimeSpan interval, Action<long, T> report) : IDisposable
{
    private readonly object _gate = new();
    private Timer? _summary;
    private bool _summaryDue;
    private T _latest = default!;
    private long _unreported;
    private long _lastReport = long.MinValue;

    public void Record(T latest)
    {
        lock (_gate)
        {
            _unreported++;
            _latest = latest;
            var sinceReport = _lastReport == long.MinValue ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(_lastReport);
            if (sinceReport < interval)
            {
                if (!_summaryDue)
                {
                    _summaryDue = true;
                    (_summary ??= new Timer(_ => Report())).Change(interval - sinceReport, Timeout.InfiniteTimeSpan);
                }

                return;
            }
        }

        Report();
    }

    public void Dispose() => _summary?.Dispose();

    private void Report()
    {
        long unreported;
        T latest;
        lock (_gate)
        {
            _summaryDue = false;
            if (_unreported == 0)
            {
                return;
            }

            (unreported, latest) = (_unreported, _latest);
            _unreported = 0;
            _lastReport = Stopwatch.GetTimestamp();
        }

        report(unreported, latest);
    }
}
