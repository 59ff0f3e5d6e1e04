using ActorDemo.Amqp;
using ActorDemo.Readings;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Aggregator;

/// <summary>
/// Counts the messages rejected as no reading by reason (the link counts them all), and logs them at
/// a bounded rate (<see cref="ThrottledReport{T}"/>), so that a flood of bad messages cannot flood
/// the log, nor go unlogged once it stops.
/// </summary>
public sealed class RejectedReadings : IDisposable
{
    private readonly long[] _byReason = new long[Enum.GetValues<RejectReason>().Length];
    private readonly ThrottledReport<string> _report;

    public RejectedReadings(ILogger<RejectedReadings> log, string address, TimeSpan? interval = null) =>
        _report = new ThrottledReport<string>(interval ?? TimeSpan.FromSeconds(10), (count, latest) =>
        {
            if (count == 1)
            {
                log.LogWarning("Rejected a message on '{Address}': {Reason}", address, latest);
            }
            else
            {
                log.LogWarning("Rejected {Count} messages on '{Address}' since the last report; the latest: {Reason}", count, address, latest);
            }
        });

    public long CountOf(RejectReason reason) => Interlocked.Read(ref _byReason[(int)reason]);

    public void Record(RejectReason kind, string reason)
    {
        Interlocked.Increment(ref _byReason[(int)kind]);
        _report.Record(reason);
    }

    public void Dispose() => _report.Dispose();
}
