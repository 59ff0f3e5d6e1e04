using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Amqp;

namespace ActorDemo.Readings;

/// <summary>
/// A node's own record of the readings it answers for, one tab-separated line each, to reconcile a
/// run reading by reading: a sensor node writes every reading the router accepted; an aggregator
/// node every reading it counted, before the share that counts it leaves for the singleton; where
/// the singleton runs, every window it emitted with each node's count. A share of count c covers the
/// first c readings its node wrote for that window, so the files of a run together say which reading
/// stands in which window, and which in none (docs/reliability.md, "Reconciling a run").
/// </summary>
/// <remarks>Off unless a file is given (<c>--ledger</c>): it costs a line per reading.</remarks>
public sealed class ReadingLedger : IAsyncDisposable
{
    public const string NodeLine = "node";
    public const string AcceptedLine = "accepted";
    public const string CountedLine = "counted";
    public const string CarriedLine = "carried";
    public const string EmittedLine = "emitted";

    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private readonly Channel<Message> _accepted = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _acceptedWriter;

    /// <exception cref="IOException">The file cannot be opened for appending.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened for appending.</exception>
    public ReadingLedger(string path)
    {
        Path = path;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        _acceptedWriter = Task.Run(WriteAcceptedAsync);
    }

    public string Path { get; }

    /// <summary>Names the node whose lines follow: an aggregator's shares name it by this address.</summary>
    public void Node(string address) => Write($"{NodeLine}\t{address}");

    /// <summary>A message the router accepted; called on the sink's stage, so it is only queued here.</summary>
    public void Accepted(Message message) => _accepted.Writer.TryWrite(message);

    /// <summary>
    /// Readings counted in this node's share of window <paramref name="interval"/>, in the order the
    /// share counts them. Handed to the operating system before it returns, so that a process killed
    /// afterwards leaves them on record: the share that counts them can be acknowledged only later.
    /// </summary>
    public void Counted(long interval, IEnumerable<TemperatureReading> readings)
    {
        var lines = new StringBuilder();
        foreach (var reading in readings)
        {
            lines.Append(CultureInfo.InvariantCulture, $"{CountedLine}\t{interval}\t{reading.DeviceId}\t{reading.Seq}\t{reading.Temperature:R}\t{reading.Timestamp.ToUnixTimeMilliseconds()}\n");
        }

        if (lines.Length > 0)
        {
            Write(lines.ToString(0, lines.Length - 1));
        }
    }

    /// <summary>
    /// A share of window <paramref name="interval"/> that a previous run of this node settled and this
    /// run counts again (the lone aggregator's journal): the first <paramref name="count"/> readings
    /// that run counted in it come before this run's.
    /// </summary>
    public void Carried(long interval, int count) => Write(string.Create(CultureInfo.InvariantCulture, $"{CarriedLine}\t{interval}\t{count}"));

    /// <summary>A window the singleton emitted, with each node's count in it.</summary>
    public void Emitted(long interval, WindowMaximum window, IEnumerable<(string Node, int Count)> shares) =>
        Write(string.Create(
            CultureInfo.InvariantCulture,
            $"{EmittedLine}\t{interval}\t{window.WindowStart.ToUnixTimeMilliseconds()}\t{window.Incarnation}\t{window.Max:R}\t{window.DeviceId}\t{string.Join('|', shares.Select(s => $"{s.Node}={s.Count}"))}"));

    public async ValueTask DisposeAsync()
    {
        _accepted.Writer.TryComplete();
        await _acceptedWriter;
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    private async Task WriteAcceptedAsync()
    {
        await foreach (var message in _accepted.Reader.ReadAllAsync())
        {
            // Our own sink sent it, so it decodes; a message of another kind has no identity to record.
            if (ReadingCodec.Decode(message, DateTimeOffset.UtcNow).Reading is { } reading)
            {
                Write($"{AcceptedLine}\t{reading.DeviceId}\t{reading.Seq}", flush: !_accepted.Reader.TryPeek(out _));
            }
        }
    }

    private void Write(string line, bool flush = true)
    {
        lock (_gate)
        {
            _writer.Write(line);
            _writer.Write('\n');
            if (flush)
            {
                _writer.Flush();
            }
        }
    }
}
