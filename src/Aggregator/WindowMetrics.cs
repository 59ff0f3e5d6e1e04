using System.Diagnostics.Metrics;
using ActorDemo.Node;
using ActorDemo.Node.Observability;
using ActorDemo.Readings;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>
/// The aggregator role's instruments on the node's meter: messages rejected by reason (observing
/// <see cref="RejectedReadings"/>), how late readings arrive, and the windows the singleton records
/// (only the node that hosts it has any).
/// </summary>
public sealed class WindowMetrics
{
    private static readonly RejectReason[] Reasons = Enum.GetValues<RejectReason>();

    private readonly Histogram<double> _readingDelay;
    private readonly Histogram<double> _recordLatency;
    private readonly Counter<long> _late;
    private volatile RecordedWindow? _latest;

    public WindowMetrics(NodeMeter meter, RejectedReadings rejections)
    {
        var m = meter.Meter;
        _readingDelay = m.CreateHistogram<double>(
            "actordemo.reading.delay", "ms", "From a reading's timestamp at its sensor to its arrival at an aggregator node");
        _recordLatency = m.CreateHistogram<double>(
            "actordemo.window.record.latency", "ms", "From the close of a window's last share on its node to the singleton recording the window");
        _late = m.CreateCounter<long>(
            "actordemo.readings.late", "{reading}", "Readings that came after their window had closed on their aggregator node (windows by event time), by node; counted in the window all the same");
        m.CreateObservableCounter(
            "actordemo.readings.rejected",
            () => Reasons.Select(reason => new Measurement<long>(rejections.CountOf(reason), new KeyValuePair<string, object?>("reason", reason.Kebab()))),
            "{message}",
            "Messages on the readings address rejected as no reading, by reason");
        m.CreateObservableGauge("actordemo.window.maximum", () => Latest(w => w.Max), "Cel", "The maximum temperature of the latest window recorded");
        m.CreateObservableGauge("actordemo.window.readings", () => Latest(w => w.Count), "{reading}", "Readings counted in the latest window recorded");
        m.CreateObservableGauge("actordemo.window.nodes", () => Latest(w => w.Nodes), "{node}", "Aggregator nodes that reported the latest window recorded");
    }

    public void OnArrived(TemperatureReading reading, DateTimeOffset arrivedAt) =>
        _readingDelay.Record((arrivedAt - reading.Timestamp).TotalMilliseconds);

    /// <summary>Readings of <paramref name="node"/> counted after their window had closed there.</summary>
    public void OnLate(string node, int readings)
    {
        if (readings > 0)
        {
            _late.Add(readings, new KeyValuePair<string, object?>("node", node));
        }
    }

    public void OnRecorded(RecordedWindow recorded, DateTimeOffset now)
    {
        _latest = recorded;
        _recordLatency.Record((now - recorded.LastShareClosedAt()).TotalMilliseconds);
    }

    private IEnumerable<Measurement<double>> Latest(Func<WindowMaximum, double> value) =>
        _latest is { } latest ? [new Measurement<double>(value(latest.Window))] : [];
}
