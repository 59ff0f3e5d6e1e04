using System.Globalization;

namespace ActorDemo.Readings;

/// <summary>The maximum temperature of one window across the cluster: what <c>max</c> receives and the log shows.</summary>
/// <param name="DeviceId">The device of the maximum; the first to reach it when several did.</param>
/// <param name="Count">Readings counted in the window, on all nodes.</param>
/// <param name="Nodes">Aggregator nodes whose share of the readings the window merges.</param>
/// <param name="Incarnation">The incarnation of the singleton that emitted it: only grows, so a window from a singleton that was fenced off can be told apart.</param>
public sealed record WindowMaximum(DateTimeOffset WindowStart, DateTimeOffset WindowEnd, double Max, string DeviceId, int Count, int Nodes, long Incarnation)
{
    /// <summary>
    /// The line operators read, as a message template whose named values a JSON log carries as
    /// fields: <c>07:40:05-07:40:10  max 24.9 °C (sensor-a-0003)  1,000 readings from 2 nodes</c>.
    /// </summary>
    public const string LogTemplate = "{start:HH:mm:ss}-{end:HH:mm:ss}  max {max:0.0} °C ({device})  {count:N0} readings from {nodes} {noun}";

    /// <summary>The same template with positions for names, for <see cref="string.Format(IFormatProvider, string, object[])"/>.</summary>
    private static readonly string Composite = Positional(LogTemplate);

    /// <summary>The values of <see cref="LogTemplate"/>, in its order.</summary>
    public object[] LogValues() => [WindowStart.ToLocalTime(), WindowEnd.ToLocalTime(), Max, DeviceId, Count, Nodes, Nodes == 1 ? "node" : "nodes"];

    /// <summary>The line of <see cref="LogTemplate"/>, as the singleton's log and <c>cmd windows</c> show it.</summary>
    public string Describe() => string.Format(CultureInfo.InvariantCulture, Composite, LogValues());

    private static string Positional(string template)
    {
        var position = 0;
        return System.Text.RegularExpressions.Regex.Replace(template, @"\{\w+", _ => "{" + position++);
    }
}

/// <summary>The highest reading of a window, and the device that sent it.</summary>
public sealed record ReadingMaximum(double Temperature, string DeviceId)
{
    /// <summary>The higher of two; on a tie the first, so that the device that reached it first keeps it.</summary>
    public static ReadingMaximum? Higher(ReadingMaximum? first, ReadingMaximum? second) =>
        second is null || (first is not null && first.Temperature >= second.Temperature) ? first : second;
}

/// <summary>
/// One of the tumbling windows aligned to the clock: interval k is [k·L, (k+1)·L) counted from the
/// Unix epoch, so that every node cuts the same windows, as Spark Streaming's batch intervals did.
/// </summary>
public readonly record struct WindowInterval(long Index, TimeSpan Length)
{
    public DateTimeOffset Start => DateTimeOffset.UnixEpoch + (Length * Index);

    public DateTimeOffset End => Start + Length;

    public WindowInterval Next => this with { Index = Index + 1 };

    /// <summary>The generated one would print <see cref="Next"/>, and its Next, without end.</summary>
    public override string ToString() => $"{Start:yyyy-MM-ddTHH:mm:ss.fffZ}..{End:HH:mm:ss.fff} (#{Index})";

    public static WindowInterval Containing(DateTimeOffset time, TimeSpan length) =>
        new(Math.DivRem((time - DateTimeOffset.UnixEpoch).Ticks, length.Ticks, out var remainder) - (remainder < 0 ? 1 : 0), length);
}
