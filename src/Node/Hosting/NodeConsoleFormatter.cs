using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ActorDemo.Node.Hosting;

/// <summary>One line per event, <c>07:40:10.012 INF message</c>: the window lines stay readable in a terminal and in pod logs.</summary>
public sealed class NodeConsoleFormatter() : NodeLogFormatter(Name)
{
    public new const string Name = "actordemo";

    protected override void WriteEntry<TState>(in LogEntry<TState> logEntry, string message, Exception? exception, TextWriter textWriter)
    {
        textWriter.Write(DateTimeOffset.Now.ToString("HH:mm:ss.fff"));
        textWriter.Write(' ');
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(' ');
        textWriter.WriteLine(message);
        if (exception is not null)
        {
            textWriter.WriteLine(exception.ToString());
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRC",
        LogLevel.Debug => "DBG",
        LogLevel.Information => "INF",
        LogLevel.Warning => "WRN",
        LogLevel.Error => "ERR",
        _ => "CRT",
    };
}

/// <summary>
/// What both log formats do before they write: strip the prefix Akka's events carry (level, time,
/// thread, source: the line has its own), the remoting stack traces of a peer that went away, and
/// repeats of "still quarantined".
/// </summary>
public abstract partial class NodeLogFormatter(string name) : ConsoleFormatter(name)
{
    private const long QuarantineReportInterval = 60_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _quarantineReported = new();

    public sealed override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        // Akka's events arrive pre-formatted with level, time, thread and source; the line has its own.
        var message = AkkaPrefix().Replace(logEntry.Formatter(logEntry.State, logEntry.Exception), "");
        var exception = logEntry.Exception;
        if (AssociationLifecycle().IsMatch(message) || (exception is not null && AssociationLifecycle().IsMatch(exception.GetType().FullName ?? "")))
        {
            // A peer node went away: the event says so; the remoting stack trace under it says nothing more.
            message = StackFrame().Replace(message, "");
            exception = null;
        }

        if ((string.IsNullOrEmpty(message) && exception is null) || RepeatsQuarantine(message))
        {
            return;
        }

        WriteEntry(logEntry, message, exception, textWriter);
    }

    /// <summary>Writes one event whose message was cleaned up.</summary>
    protected abstract void WriteEntry<TState>(in LogEntry<TState> logEntry, string message, Exception? exception, TextWriter textWriter);

    /// <summary>
    /// Akka.Remote says a quarantined address stays quarantined each time something still sends to it:
    /// once a second while singleton proxies look for a singleton on a node just killed. Once a minute is enough.
    /// </summary>
    private bool RepeatsQuarantine(string message)
    {
        if (KeepingQuarantined().Match(message) is not { Success: true } quarantine)
        {
            return false;
        }

        var now = Environment.TickCount64;
        var address = quarantine.Groups["address"].Value;
        if (_quarantineReported.TryGetValue(address, out var last) && now - last < QuarantineReportInterval)
        {
            return true;
        }

        _quarantineReported[address] = now;
        return false;
    }

    // The source may hold brackets of its own (stream stages do), hence the balanced match.
    [GeneratedRegex(@"^\[(DEBUG|INFO|WARNING|ERROR)\]\[[^\]]*\]\[Thread \d+\]\[(?>[^\[\]]+|\[(?<open>)|\](?<-open>))*(?(open)(?!))\] ?")]
    private static partial Regex AkkaPrefix();

    [GeneratedRegex(@"^Quarantined address \[(?<address>[^\]]+)\] is still unreachable")]
    private static partial Regex KeepingQuarantined();

    [GeneratedRegex(@"Akka\.Remote\.(EndpointDisassociatedException|ShutDownAssociation|Transport\.InvalidAssociationException)")]
    private static partial Regex AssociationLifecycle();

    [GeneratedRegex(@"\r?\n\s+at [^\n]*", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
