using ActorDemo.Node.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorDemo.Shared.Tests.Hosting;

public sealed class NodeConsoleFormatterSpecs
{
    [Fact]
    public void A_peer_that_went_away_is_one_line_without_the_remoting_stack_trace()
    {
        const string Event = "[ERROR][11/25/2026 17:54:41.000Z][Thread 0012][akka.tcp://actordemo@127.0.0.1:4053/system/endpointManager] Disassociated\n" +
            "Akka.Remote.EndpointDisassociatedException: Disassociated\n" +
            "   at Akka.Remote.EndpointWriter.PublishAndThrow(Exception reason, LogLevel level, Boolean needToThrow)\n" +
            "   at Akka.Actor.ActorCell.Invoke(Envelope envelope)";

        var lines = Format(Event);

        Assert.Equal(2, lines.Length);
        Assert.EndsWith("ERR Disassociated", lines[0]);
        Assert.Equal("Akka.Remote.EndpointDisassociatedException: Disassociated", lines[1]);
    }

    [Fact]
    public void A_disassociation_carried_as_the_events_exception_prints_no_stack_trace()
    {
        var lines = Format("Disassociated\nCause: Akka.Remote.EndpointDisassociatedException: Disassociated", Thrown(RemotingException("Akka.Remote.EndpointDisassociatedException", "Disassociated")));

        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public void That_a_quarantined_address_stays_quarantined_is_said_once_a_minute_not_every_second()
    {
        var formatter = new NodeConsoleFormatter();
        const string Repeated = "[INFO][11/25/2026 19:04:24.860Z][Thread 0007][remoting (akka://actordemo)] Quarantined address [akka.tcp://actordemo@127.0.0.1:24620] is still unreachable or has not been restarted. Keeping it quarantined.";
        const string Other = "[INFO][11/25/2026 19:04:24.860Z][Thread 0007][remoting (akka://actordemo)] Quarantined address [akka.tcp://actordemo@127.0.0.1:24699] is still unreachable or has not been restarted. Keeping it quarantined.";

        var lines = new[] { Repeated, Repeated, Repeated, Other }.SelectMany(message => Format(message, formatter: formatter)).ToList();

        Assert.Equal(2, lines.Count);
        Assert.Contains(lines, l => l.Contains("24620"));
        Assert.Contains(lines, l => l.Contains("24699"));
    }

    [Fact]
    public void Other_errors_keep_their_stack_trace()
    {
        var lines = Format("Something failed\nSystem.InvalidOperationException: boom\n   at Somewhere.Else()");

        Assert.Contains(lines, l => l.Contains("at Somewhere.Else()"));
    }

    private static string[] Format(string message, Exception? exception = null, NodeConsoleFormatter? formatter = null)
    {
        var output = new StringWriter();
        (formatter ?? new NodeConsoleFormatter()).Write(new LogEntry<string>(LogLevel.Error, "Akka", default, message, exception, (state, _) => state), null, output);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Akka.Remote's own exception types are internal: made as Akka makes them.</summary>
    private static Exception RemotingException(string type, string message) =>
        (Exception)Activator.CreateInstance(typeof(Akka.Remote.RemoteSettings).Assembly.GetType(type, throwOnError: true)!, message)!;

    /// <summary>An exception with a stack trace, as a thrown one has.</summary>
    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }
}
