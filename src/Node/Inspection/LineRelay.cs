using System.Threading.Channels;
using Akka.Actor;

namespace ActorDemo.Node.Inspection;

/// <summary>
/// Turns the messages it is told (cluster events, recorded windows) into lines for a streaming HTTP
/// response (<c>cluster tail</c>, <c>windows tail</c>); the response stops it when the client goes.
/// </summary>
public sealed class LineRelay : UntypedActor
{
    private readonly ChannelWriter<string> _lines;
    private readonly Func<object, string?> _format;

    public LineRelay(ChannelWriter<string> lines, Func<object, string?> format)
    {
        _lines = lines;
        _format = format;
    }

    public static Props Props(ChannelWriter<string> lines, Func<object, string?> format) =>
        Akka.Actor.Props.Create(() => new LineRelay(lines, format));

    protected override void OnReceive(object message)
    {
        if (_format(message) is { } line)
        {
            _lines.TryWrite(line);
        }
    }

    protected override void PostStop() => _lines.TryComplete();
}
