using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Aggregator;

/// <summary>
/// Counts the messages rejected as no reading and logs them at a bounded rate: the first at once,
/// then one line per interval saying how many followed and the latest reason, so that a flood of bad
/// messages cannot flood the log.
/// </summary>
public sealed class RejectedReadings(ILogger<RejectedReadings> log, string address, TimeSpan? interval = null)
{
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(10);
    private readonly object _gate = new();
    private long _count;
    private long _unreported;
    private long _lastReport = long.MinValue;

    public long Count => Interlocked.Read(ref _count);

    public void Record(string reason)
    {
        Interlocked.Increment(ref _count);
        long unreported;
        lock (_gate)
        {
            _unreported++;
            var now = Stopwatch.GetTimestamp();
            if (_lastReport != long.MinValue && Stopwatch.GetElapsedTime(_lastReport, now) < _interval)
            {
                return;
            }

            _lastReport = now;
            unreported = _unreported;
            _unreported = 0;
        }

        if (unreported == 1)
        {
            log.LogWarning("Rejected a message on '{Address}': {Reason}", address, reason);
        }
        else
        {
            log.LogWarning("Rejected {Count} messages on '{Address}' since the last report; the latest: {Reason}", unreported, address, reason);
        }
    }
}
