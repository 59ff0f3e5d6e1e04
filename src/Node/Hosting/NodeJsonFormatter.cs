using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// One JSON object per line, for log pipelines: <c>timestamp</c> (UTC), <c>level</c>,
/// <c>category</c>, <c>actorPath</c> for Akka's events, <c>message</c>, <c>exception</c>, and the
/// named values of the message template under <c>fields</c> (a recorded window has
/// <c>max</c>, <c>device</c>, <c>count</c>, <c>nodes</c>).
/// </summary>
public sealed class NodeJsonFormatter() : NodeLogFormatter(Name)
{
    public new const string Name = "actordemo-json";

    /// <summary>UTC with milliseconds, for the line's timestamp and any time among its fields.</summary>
    private const string UtcTime = "yyyy-MM-ddTHH:mm:ss.fffZ";

    /// <summary>What the Akka bridge adds to every event's state; the line carries these already, or need not.</summary>
    private static readonly HashSet<string> Plumbing = ["{OriginalFormat}", "ActorPath", "Timestamp", "Thread", "LogSource"];

    protected override void WriteEntry<TState>(in LogEntry<TState> logEntry, string message, Exception? exception, TextWriter textWriter)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString(UtcTime, CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            var state = logEntry.State as IEnumerable<KeyValuePair<string, object?>>;
            if (state?.FirstOrDefault(p => p.Key == "ActorPath").Value is string { Length: > 0 } path)
            {
                json.WriteString("actorPath", path);
            }

            json.WriteString("message", message);
            if (exception is not null)
            {
                json.WriteString("exception", exception.ToString());
            }

            WriteFields(json, state);
            json.WriteEndObject();
        }

        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteFields(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>>? state)
    {
        // Positional placeholders ({0}) name nothing a pipeline could chart.
        var fields = state?.Where(p => !Plumbing.Contains(p.Key) && !p.Key.StartsWith("Akka.", StringComparison.Ordinal) && !p.Key.All(char.IsDigit)).ToList();
        if (fields is not { Count: > 0 })
        {
            return;
        }

        json.WriteStartObject("fields");
        foreach (var (key, value) in fields)
        {
            switch (value)
            {
                case null:
                    json.WriteNull(key);
                    break;
                case int or long or short or byte or uint or ulong or ushort or sbyte:
                    json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case double or float or decimal when double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                    json.WriteNumber(key, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                    break;
                case bool flag:
                    json.WriteBoolean(key, flag);
                    break;
                case DateTimeOffset time:
                    json.WriteString(key, time.ToUniversalTime().ToString(UtcTime, CultureInfo.InvariantCulture));
                    break;
                default:
                    json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        json.WriteEndObject();
    }
}
