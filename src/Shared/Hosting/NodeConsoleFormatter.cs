using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ActorDemo.Shared.Hosting;

/// <summary>One line per event, <c>07:40:10.012 INF message</c>: the window lines stay readable in a terminal and in pod logs.</summary>
public sealed partial class NodeConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "actordemo";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
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

        if (string.IsNullOrEmpty(message) && exception is null)
        {
            return;
        }

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

    // The source may hold brackets of its own (stream stages do), hence the balanced match.
    [GeneratedRegex(@"^\[(DEBUG|INFO|WARNING|ERROR)\]\[[^\]]*\]\[Thread \d+\]\[(?>[^\[\]]+|\[(?<open>)|\](?<-open>))*(?(open)(?!))\] ?")]
    private static partial Regex AkkaPrefix();

    [GeneratedRegex(@"Akka\.Remote\.(EndpointDisassociatedException|ShutDownAssociation|Transport\.InvalidAssociationException)")]
    private static partial Regex AssociationLifecycle();

    [GeneratedRegex(@"\r?\n\s+at [^\n]*", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

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
