using ActorDemo.Shared.Hosting;
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
    public void Other_errors_keep_their_stack_trace()
    {
        var lines = Format("Something failed\nSystem.InvalidOperationException: boom\n   at Somewhere.Else()");

        Assert.Contains(lines, l => l.Contains("at Somewhere.Else()"));
    }

    private static string[] Format(string message)
    {
        var output = new StringWriter();
        new NodeConsoleFormatter().Write(new LogEntry<string>(LogLevel.Error, "Akka", default, message, null, (state, _) => state), null, output);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
