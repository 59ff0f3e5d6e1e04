using System.Diagnostics;
using ActorDemo.Shared.Readings;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Aggregator;

/// <summary>
/// Counts the messages rejected as no reading by reason (the link counts them all), and logs them at
/// a bounded rate: the first at once, then, at the end of each interval in which more came, one line
/// saying how many and the latest reason, so that a flood of bad messages cannot flood the log, nor
/// go unlogged once it stops.
/// </summary>
public sealed class RejectedReadings(ILogger<RejectedReadings> log, string address, TimeSpan? interval = null) : IDisposable
{
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(10);
    private readonly object _gate = new();
    private Timer? _summary;
    private bool _summaryDue;
    private string _latest = "";
    private readonly long[] _byReason = new long[Enum.GetValues<RejectReason>().Length];
    private long _unreported;
    private long _lastReport = long.MinValue;

    public long CountOf(RejectReason reason) => Interlocked.Read(ref _byReason[(int)reason]);

    public void Record(RejectReason kind, string reason)
    {
        Interlocked.Increment(ref _byReason[(int)kind]);
        lock (_gate)
        {
            _unreported++;
            _latest = reason;
            var sinceReport = _lastReport == long.MinValue ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(_lastReport);
            if (sinceReport < _interval)
            {
                if (!_summaryDue)
                {
                    _summaryDue = true;
                    (_summary ??= new Timer(_ => Report())).Change(_interval - sinceReport, Timeout.InfiniteTimeSpan);
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
        string latest;
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

        if (unreported == 1)
        {
            log.LogWarning("Rejected a message on '{Address}': {Reason}", address, latest);
        }
        else
        {
            log.LogWarning("Rejected {Count} messages on '{Address}' since the last report; the latest: {Reason}", unreported, address, latest);
        }
    }
}
