using System.Text.Json;
using ActorDemo.Node.Serialization;
using Akka.Actor;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>
/// A lone aggregator's second copy of its acknowledged shares and of the windows its singleton
/// decided and has not yet seen go out: no other node can hold them, so they are kept in a file of
/// the node's state folder, and a node killed and restarted with the same
/// folder (a restarted process, a restarted container of the same pod) still counts them. Written
/// whole on every change (a few windows at most) to a new file moved over the old, so a kill never
/// leaves half of it; flushed to the disk, so a machine that stops does not lose it either.
/// The journal names the source its readings were settled at: a folder shared by mistake with a
/// node of another pipeline (another router, another address) must not add that pipeline's readings
/// to this one's windows.
/// </summary>
/// <param name="directory">The node's state folder.</param>
/// <param name="source">Where this node reads, as <c>amqp://host:port/address</c>.</param>
public sealed class ShareJournal(string directory, string source)
{
    public const string FileName = "acknowledged-shares.json";

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>
    /// The folder a node uses when none is given: one per remoting port under the temp folder, so that
    /// a node restarted on its port finds what it kept. A node on a port picked at random (<c>--port 0</c>)
    /// is never restarted on it: it gets a folder of its own run, or it would count as its own the
    /// shares of whatever process had that port before.
    /// </summary>
    /// <param name="configuredPort">The port option as given.</param>
    /// <param name="boundPort">The port remoting bound.</param>
    public static string DefaultDirectory(int configuredPort, int boundPort) => System.IO.Path.Combine(
        System.IO.Path.GetTempPath(), "actordemo", configuredPort == 0 ? $"aggregator-{boundPort}-{Guid.NewGuid():N}" : $"aggregator-{boundPort}");

    public string Source { get; } = source;

    /// <summary>
    /// What a previous run of this node kept, its shares as shares of <paramref name="node"/>. A
    /// journal of another source is moved aside, not loaded.
    /// </summary>
    /// <exception cref="IOException">The file is there but cannot be read or moved.</exception>
    /// <exception cref="JsonException">The file is not a journal.</exception>
    public Kept Load(Address node)
    {
        if (!File.Exists(Path))
        {
            return new Kept([], [], null);
        }

        var journal = JsonSerializer.Deserialize<Contents>(File.ReadAllBytes(Path), Json) ?? throw new JsonException("the file holds null");
        if (journal.Source != Source)
        {
            var aside = $"{Path}.{DateTimeOffset.UtcNow:yyyyMMddTHHmmss}.other-source";
            File.Move(Path, aside);
            return new Kept([], [], new ForeignJournal(journal.Source, aside));
        }

        var shares = journal.Shares.Select(e => new PartialWindow(node, e.Interval, e.WindowStart, e.WindowEnd, e.Max, e.DeviceId, e.Count, e.Duplicates, e.ClosedAt, e.Seq, e.Closed)).ToList();
        return new Kept(shares, journal.Decisions ?? [], null);
    }

    /// <summary>Replaces what the journal holds; an empty journal is no file.</summary>
    public void Save(IEnumerable<PartialWindow> shares, IEnumerable<HeldDecision> decisions)
    {
        var entries = shares.Select(p => new Entry(p.Interval, p.WindowStart, p.WindowEnd, p.Max, p.DeviceId, p.Count, p.Duplicates, p.ClosedAt, p.Seq, p.Closed)).ToList();
        var decided = decisions.ToList();
        if (entries.Count == 0 && decided.Count == 0)
        {
            File.Delete(Path);
            return;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var next = Path + ".next";
        using (var file = new FileStream(next, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(file, new Contents(Source, entries, decided), Json);
            file.Flush(flushToDisk: true);
        }

        File.Move(next, Path, overwrite: true);
    }

    /// <summary>What a previous run kept: its shares and decided windows, or none and the journal of another source it found.</summary>
    public sealed record Kept(IReadOnlyList<PartialWindow> Shares, IReadOnlyList<HeldDecision> Decisions, ForeignJournal? Foreign);

    /// <summary>A journal written by a node that read <paramref name="Source"/>, now at <paramref name="MovedTo"/>.</summary>
    public sealed record ForeignJournal(string Source, string MovedTo);

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonMessageSerializer.AddressConverter() } };

    private sealed record Contents(string Source, List<Entry> Shares, List<HeldDecision>? Decisions);

    private sealed record Entry(
        long Interval, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, double? Max, string? DeviceId, int Count, int Duplicates, DateTimeOffset ClosedAt, long Seq, bool Closed);
}
