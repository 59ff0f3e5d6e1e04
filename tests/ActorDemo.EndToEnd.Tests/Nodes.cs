using ActorDemo.Testing;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>
/// The two executables as built beside this test project, started as real processes on loopback:
/// every node gets its own remoting port and the aggregator an embedded router on a free port.
/// </summary>
public sealed class Nodes : IAsyncDisposable
{
    private readonly List<ExternalProcess> _processes = [];
    private ExternalProcess? _aggregator;

    public Nodes()
    {
        RouterPort = Loopback.FreePort();
        SeedPort = Loopback.FreePort();
        InspectionPort = Loopback.FreePort();
        ManagementPort = Loopback.FreePort();
    }

    /// <summary>The aggregator's inspection endpoint (what <c>cmd</c> talks to) and health port.</summary>
    public int InspectionPort { get; }

    public int ManagementPort { get; }

    public string Inspection => $"127.0.0.1:{InspectionPort}";

    public int RouterPort { get; }

    public int SeedPort { get; }

    public string RouterUrl => $"amqp://127.0.0.1:{RouterPort}";

    public string Seed => $"akka.tcp://actordemo@127.0.0.1:{SeedPort}";

    public static string Aggregator => Executables.Aggregator;

    public static string Sensors => Executables.Sensors;

    /// <summary>The aggregator: seed node, embedded router, 1-second windows so tests see many.</summary>
    public ExternalProcess StartAggregator(params string[] extra) =>
        _aggregator = Start(Aggregator, [
            "--router-port", RouterPort.ToString(), "--port", SeedPort.ToString(), "--seeds", Seed, "--window", "1s",
            "--inspection-port", InspectionPort.ToString(), "--management-port", ManagementPort.ToString(), .. extra]);

    /// <summary>Runs <c>ActorDemo.Aggregator cmd ...</c> against the aggregator, as a user would, and waits for it to exit.</summary>
    public async Task<(int Status, IReadOnlyList<string> Lines)> Cmd(params string[] command)
    {
        if (_aggregator is not null)
        {
            // Akka may report the cluster formed a moment before Kestrel listens.
            await _aggregator.WaitForLineAsync(l => l.Contains($"Now listening on: http://{Inspection}"), TimeSpan.FromSeconds(60));
        }

        await using var client = ExternalProcess.Start(Aggregator, ["cmd", Inspection, .. command], new Dictionary<string, string>());
        var status = await client.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (status, client.Lines);
    }

    public ExternalProcess StartSensors(params string[] extra) =>
        Start(Sensors, ["--amqp-url", RouterUrl, "--seeds", Seed, "--port", "0", "--interval", "200ms", .. extra]);

    public ExternalProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = ExternalProcess.Start(executable, arguments, environment ?? new Dictionary<string, string>());
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }
}
