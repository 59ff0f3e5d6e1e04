using System.Globalization;
using ActorDemo.Readings;

namespace ActorDemo.Testing;

/// <summary>
/// The per-reading oracle: every node of a spec keeps its reading ledger (<c>--ledger</c>) in one
/// folder, and <see cref="Reconcile"/> reads them all against the windows read from <c>max</c>. A
/// window's readings are, for each node's share the singleton emitted, the first readings that node
/// counted in the window, as many as the share's count.
/// </summary>
public sealed class ReadingLedgers : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actordemo-ledgers-").FullName;
    private int _files;

    /// <summary>The flag that gives a node a ledger of its own in this folder.</summary>
    public string[] Flag(string role) => ["--ledger", Path.Combine(_directory, $"{role}-{Interlocked.Increment(ref _files)}.ledger")];

    /// <summary>Readings the sensor nodes have recorded as accepted so far.</summary>
    public long Accepted => Directory.GetFiles(_directory, "sensors-*.ledger").Sum(path => LedgerFile.Read(path).Accepted.Count);

    /// <summary>
    /// Waits until every reading the sensors saw accepted (as many as <paramref name="accepted"/>,
    /// what they reported, so that an empty ledger cannot pass) stands in a window on <c>max</c>, and
    /// the ledgers and <c>max</c> agree on every window.
    /// </summary>
    /// <param name="byEventTime">Also every reading stands in the window its timestamp falls in.</param>
    public async Task<Reconciliation> EveryAcceptedReadingStandsAsync(WindowMaxima maxima, long accepted, TimeSpan within, bool byEventTime = false)
    {
        Reconciliation reconciled = null!;
        await Eventually.Assert(
            () =>
            {
                reconciled = Reconcile(maxima.Windows, byEventTime);
                Xunit.Assert.True(
                    accepted > 0 && reconciled.Accepted == accepted && reconciled.Lost.Count == 0 && reconciled.Problems.Count == 0,
                    $"the sensors reported {accepted} accepted; {reconciled}");
            },
            within);
        return reconciled;
    }

    public Reconciliation Reconcile(IReadOnlyList<WindowOnWire> maxima, bool byEventTime = false)
    {
        // In the order the nodes were started, so that a restarted node's ledger follows its previous run's.
        var files = Directory.GetFiles(_directory, "*.ledger").OrderBy(StartOrder).Select(LedgerFile.Read).ToList();
        var accepted = files.SelectMany(f => f.Accepted).ToHashSet();
        var problems = new List<string>();
        var standing = new Dictionary<ReadingId, int>();
        foreach (var window in maxima)
        {
            var start = window.WindowStart.ToUnixTimeMilliseconds();
            var emitted = files.SelectMany(f => f.Emitted).Where(e => e.StartMs == start && e.Incarnation == window.Incarnation).ToList();
            if (emitted.Count == 0)
            {
                problems.Add($"window {window.WindowStart:O} of incarnation {window.Incarnation} is on 'max' but no ledger says it was emitted");
                continue;
            }

            var readings = emitted[0].Shares.SelectMany(share => SharedReadings(files, emitted[0].Interval, share.Node, share.Count, problems)).ToList();
            if (readings.Count != window.Count)
            {
                problems.Add($"window {window.WindowStart:O}: its shares cover {readings.Count} readings, 'max' says {window.Count}");
            }

            if (readings.Count > 0 && readings.Max(r => r.Temperature) is var highest && highest != window.Max)
            {
                problems.Add($"window {window.WindowStart:O}: 'max' says {window.Max}, the highest reading counted in it is {highest}");
            }

            foreach (var reading in readings)
            {
                standing[reading.Id] = standing.GetValueOrDefault(reading.Id) + 1;
                if (byEventTime && (reading.TakenAt < window.WindowStart || reading.TakenAt >= window.WindowEnd))
                {
                    problems.Add($"{reading.Id}, taken at {reading.TakenAt:O}, stands in window {window.WindowStart:O}..{window.WindowEnd:O}");
                }
            }
        }

        var lost = accepted.Where(id => !standing.ContainsKey(id)).ToList();
        var twice = standing.Where(s => s.Value > 1).Select(s => (s.Key, s.Value)).ToList();
        return new Reconciliation(accepted.Count, standing.Count, lost, twice, problems);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static int StartOrder(string path) => int.Parse(Path.GetFileNameWithoutExtension(path).Split('-')[^1], CultureInfo.InvariantCulture);

    /// <summary>The first <paramref name="count"/> readings <paramref name="node"/> counted in the window.</summary>
    private static IEnumerable<CountedReading> SharedReadings(IReadOnlyList<LedgerFile> files, long interval, string node, int count, List<string> problems)
    {
        if (count == 0)
        {
            return [];
        }

        // A node counts a window in one run, unless a restart carried that run's share into the next.
        var runs = files.Where(f => f.Node == node && (f.Counted.ContainsKey(interval) || f.Carried.ContainsKey(interval))).ToList();
        var counted = new List<CountedReading>();
        foreach (var run in runs)
        {
            if (counted.Count > 0 && !run.Carried.ContainsKey(interval))
            {
                problems.Add($"window {interval}: two runs of {node} counted readings in it, the later without carrying the earlier's share");
            }

            counted = [.. counted.Take(run.Carried.GetValueOrDefault(interval)), .. run.Counted.GetValueOrDefault(interval, [])];
        }

        if (counted.Count < count)
        {
            problems.Add($"window {interval}: {node}'s share counts {count} readings, its ledgers have {counted.Count}");
        }

        return counted.Take(count);
    }

    private sealed record LedgerFile(string? Node, List<ReadingId> Accepted, Dictionary<long, List<CountedReading>> Counted, Dictionary<long, int> Carried, List<EmittedWindow> Emitted)
    {
        public static LedgerFile Read(string path)
        {
            var file = new LedgerFile(null, [], [], [], []);
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            // The node may be writing: a last line without its newline is not whole yet.
            foreach (var line in reader.ReadToEnd().Split('\n')[..^1])
            {
                var fields = line.Split('\t');
                switch (fields[0])
                {
                    case ReadingLedger.NodeLine:
                        file = file with { Node = fields[1] };
                        break;
                    case ReadingLedger.AcceptedLine:
                        file.Accepted.Add(new ReadingId(fields[1], long.Parse(fields[2], CultureInfo.InvariantCulture)));
                        break;
                    case ReadingLedger.CountedLine:
                        var interval = long.Parse(fields[1], CultureInfo.InvariantCulture);
                        if (!file.Counted.TryGetValue(interval, out var readings))
                        {
                            file.Counted[interval] = readings = [];
                        }

                        readings.Add(new CountedReading(
                            new ReadingId(fields[2], long.Parse(fields[3], CultureInfo.InvariantCulture)),
                            double.Parse(fields[4], CultureInfo.InvariantCulture),
                            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields[5], CultureInfo.InvariantCulture))));
                        break;
                    case ReadingLedger.CarriedLine:
                        file.Carried[long.Parse(fields[1], CultureInfo.InvariantCulture)] = int.Parse(fields[2], CultureInfo.InvariantCulture);
                        break;
                    case ReadingLedger.EmittedLine:
                        file.Emitted.Add(new EmittedWindow(
                            long.Parse(fields[1], CultureInfo.InvariantCulture),
                            long.Parse(fields[2], CultureInfo.InvariantCulture),
                            long.Parse(fields[3], CultureInfo.InvariantCulture),
                            fields[6].Split('|', StringSplitOptions.RemoveEmptyEntries).Select(share => share.Split('=')).Select(share => (share[0], int.Parse(share[1], CultureInfo.InvariantCulture))).ToList()));
                        break;
                }
            }

            return file;
        }
    }

    private sealed record CountedReading(ReadingId Id, double Temperature, DateTimeOffset TakenAt);

    private sealed record EmittedWindow(long Interval, long StartMs, long Incarnation, IReadOnlyList<(string Node, int Count)> Shares);
}

/// <summary>A reading's identity: its device and that device's sequence number.</summary>
public readonly record struct ReadingId(string DeviceId, long Seq)
{
    public override string ToString() => $"{DeviceId}#{Seq}";
}

/// <summary>What the ledgers of a run say, reading by reading.</summary>
/// <param name="Accepted">Readings the sensors saw accepted.</param>
/// <param name="Standing">Distinct readings counted in the windows on <c>max</c>.</param>
/// <param name="Lost">Accepted readings in no window on <c>max</c>.</param>
/// <param name="Twice">Readings counted in more than one window, or twice in one, with how often.</param>
/// <param name="Problems">Where the ledgers and <c>max</c> disagree.</param>
public sealed record Reconciliation(long Accepted, long Standing, IReadOnlyList<ReadingId> Lost, IReadOnlyList<(ReadingId Id, int Times)> Twice, IReadOnlyList<string> Problems)
{
    public override string ToString() =>
        $"{Accepted} accepted, {Standing} counted in windows on 'max', {Lost.Count} lost ({string.Join(", ", Lost.Take(5))}), "
        + $"{Twice.Count} counted more than once ({string.Join(", ", Twice.Take(5).Select(t => $"{t.Id} x{t.Times}"))}); "
        + (Problems.Count == 0 ? "ledgers and 'max' agree" : string.Join("; ", Problems.Take(5)));
}
