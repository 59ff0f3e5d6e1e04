using System.Text.Json;

namespace ActorDemo.Testing;

/// <summary>
/// The two executables as built beside this test project, started as real processes on loopback:
/// every node gets its own remoting port; the aggregator starts the embedded router on a free port
/// unless the nodes are given the URL of a running router.
/// </summary>
public sealed class Nodes : IAsyncDisposable
{
    private readonly List<ExternalProcess> _processes = [];

    // The seed aggregator's state folder, by its port: a restart on the port finds what it kept, and
    // nothing an earlier test run left in the temp folder under the same port number.
    private readonly string _state = Directory.CreateTempSubdirectory("actordemo-nodes-").FullName;
    private readonly string? _externalRouter;
    private readonly Action<string>? _report;
    private ExternalProcess? _aggregator;

    /// <param name="routerUrl">A running router (Qpid Dispatch) every node uses instead of the embedded one.</param>
    /// <param name="report">Told every warning and error the nodes logged, once they are stopped, so that a failed spec shows why.</param>
    public Nodes(string? routerUrl = null, Action<string>? report = null)
    {
        _externalRouter = routerUrl;
        _report = report;
        RouterPort = Loopback.FreePort();
        SeedPort = Loopback.FreePort();
        InspectionPort = Loopback.FreePort();
        ManagementPort = Loopback.FreePort();
    }

    /// <summary>The aggregator's inspection endpoint (what <c>cmd</c> talks to) and health port.</summary>
    public int InspectionPort { get; }

    public int ManagementPort { get; }

    public string Inspection => $"127.0.0.1:{InspectionPort}";

    /// <summary>The embedded router's port, when the aggregator runs one.</summary>
    public int RouterPort { get; }

    public int SeedPort { get; }

    public string RouterUrl => _externalRouter ?? $"amqp://127.0.0.1:{RouterPort}";

    public string Seed => $"akka.tcp://actordemo@127.0.0.1:{SeedPort}";

    public static string Aggregator => BuiltExecutables.Aggregator;

    public static string Sensors => BuiltExecutables.Sensors;

    /// <summary>The aggregator: seed node, the router, 1-second windows so tests see many.</summary>
    public ExternalProcess StartAggregator(params string[] extra) =>
        _aggregator = Start(Aggregator, [
            .. _externalRouter is null ? ["--router-port", RouterPort.ToString()] : new[] { "--amqp-url", _externalRouter },
            "--port", SeedPort.ToString(), "--seeds", Seed, "--window", "1s",
            "--inspection-port", InspectionPort.ToString(), "--management-port", ManagementPort.ToString(),
            .. extra.Contains("--state-dir") ? [] : new[] { "--state-dir", Path.Combine(_state, SeedPort.ToString()) }, .. extra]);

    /// <summary>One more aggregator node, joining the first; <paramref name="inspectionPort"/> is where its <c>cmd</c> is served.</summary>
    public ExternalProcess StartAnotherAggregator(int inspectionPort, params string[] extra) =>
        Start(Aggregator, [
            "--amqp-url", RouterUrl, "--port", "0", "--seeds", Seed, "--window", "1s",
            "--inspection-port", inspectionPort.ToString(), "--management-port", "0", .. extra]);

    /// <summary>Runs <c>ActorDemo.Aggregator cmd ...</c> against the aggregator, as a user would, and waits for it to exit.</summary>
    public async Task<(int Status, IReadOnlyList<string> Lines)> Cmd(params string[] command)
    {
        if (_aggregator is not null)
        {
            // Akka may report the cluster formed a moment before Kestrel listens.
            await _aggregator.WaitForLineAsync(l => l.Contains($"Now listening on: http://{Inspection}"), TimeSpan.FromSeconds(60));
        }

        return await CmdAt(Inspection, command);
    }

    /// <summary><c>cmd</c> against the node whose inspection endpoint is <paramref name="endpoint"/>.</summary>
    public static async Task<(int Status, IReadOnlyList<string> Lines)> CmdAt(string endpoint, params string[] command)
    {
        await using var client = ExternalProcess.Start(Aggregator, ["cmd", endpoint, .. command], new Dictionary<string, string>());
        var status = await client.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (status, client.Lines);
    }

    /// <summary>Waits until <paramref name="node"/> has its readings link attached.</summary>
    /// <param name="address">The readings address (<c>--address</c>).</param>
    public static Task AttachedAsync(ExternalProcess node, string address = "temperature") =>
        node.WaitForLineAsync(l => SaysAttached(l, address), TimeSpan.FromSeconds(60));

    /// <summary>
    /// Whether a node's log line says it attached to <paramref name="address"/>: over an AMQP link, or
    /// (an aggregator reading its own embedded router) in its own process.
    /// </summary>
    public static bool SaysAttached(string line, string address = "temperature") =>
        (line.Contains($"AMQP link to '{address}'") && line.Contains("attached"))
        || line.Contains($"Reading '{address}' from the embedded router in this process");

    /// <summary>
    /// Stops the sensors of every sensor node of the cluster through <c>cmd sensors scale 0</c> against
    /// <paramref name="inspection"/>, waits until nothing is left buffered or unsettled, and returns
    /// what their publishers counted, together.
    /// </summary>
    public static Task<SensorTotals> StopSensorsAsync(string inspection) =>
        StopSensorsAsync(command => CmdAt(inspection, command));

    /// <summary>The same, with <paramref name="cmd"/> running each <c>cmd</c> command (inside a lab host, say).</summary>
    public static async Task<SensorTotals> StopSensorsAsync(Func<string[], Task<(int Status, IReadOnlyList<string> Lines)>> cmd)
    {
        async Task<List<JsonElement>> SensorNodes()
        {
            var (_, lines) = await cmd(["sensors", "show", "--json"]);
            return JsonDocument.Parse(string.Join('\n', lines)).RootElement.GetProperty("nodes").EnumerateArray().ToList();
        }

        var nodes = (await SensorNodes()).Select(n => n.GetProperty("node").GetString()!).ToList();
        Xunit.Assert.NotEmpty(nodes);
        foreach (var node in nodes)
        {
            var (status, output) = await cmd(["sensors", "scale", "0", "--node", node]);
            Xunit.Assert.True(status == 0, string.Join('\n', output));
        }

        SensorTotals totals = null!;
        await Eventually.Assert(async () =>
        {
            var reports = await SensorNodes();
            Xunit.Assert.Equal(nodes.Count, reports.Count);
            foreach (var report in reports)
            {
                // A node that did not answer is listed with zeros and the reason.
                var unanswered = report.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null;
                Xunit.Assert.False(unanswered, $"the sensor node did not answer: {error}");
                Xunit.Assert.Equal(0, report.GetProperty("buffered").GetInt32());
                Xunit.Assert.Equal(0, report.GetProperty("pending").GetInt64());
                Xunit.Assert.Equal(0, report.GetProperty("unsettled").GetInt64());
            }

            long Sum(string counter) => reports.Sum(r => r.GetProperty(counter).GetInt64());
            totals = new SensorTotals(Sum("offered"), Sum("accepted"), Sum("dropped"), Sum("rejected"));
        }, TimeSpan.FromSeconds(60));
        return totals;
    }

    public ExternalProcess StartSensors(params string[] extra) => StartSensorsOn(RouterUrl, extra);

    /// <summary>A sensor process whose clock is <paramref name="offset"/> off (<see cref="FakeClock"/>): its readings' timestamps are.</summary>
    public ExternalProcess StartSensorsWithClock(TimeSpan offset, params string[] extra) =>
        Start(Sensors, ["--amqp-url", RouterUrl, "--seeds", Seed, "--port", "0", "--interval", "200ms", .. extra], FakeClock.Environment(offset));

    /// <summary>A sensor process that publishes to <paramref name="routerUrl"/>, for a network of routers.</summary>
    public ExternalProcess StartSensorsOn(string routerUrl, params string[] extra) =>
        Start(Sensors, ["--amqp-url", routerUrl, "--seeds", Seed, "--port", "0", "--interval", "200ms", .. extra]);

    public ExternalProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = ExternalProcess.Start(executable, arguments, environment ?? new Dictionary<string, string>());
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        // What they logged while the spec ran; stopping them adds only the noise of nodes going away.
        var logged = _processes.Select(process => (process.Name, process.Lines)).ToList();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        Directory.Delete(_state, recursive: true);
        foreach (var (name, lines) in _report is null ? [] : logged)
        {
            foreach (var line in lines.Where(ExternalProcess.IsWarning))
            {
                _report!($"{name}: {line}");
            }
        }
    }
}

/// <summary>What a sensor node's publisher counted once nothing was left to send.</summary>
public sealed record SensorTotals(long Offered, long Accepted, long Dropped, long Rejected)
{
    /// <summary>Every reading offered was accepted: none dropped, none rejected.</summary>
    public bool AllAccepted => Dropped == 0 && Rejected == 0 && Accepted == Offered;

    public override string ToString() => $"{Offered} offered, {Accepted} accepted, {Dropped} dropped, {Rejected} rejected";
}
