using System.Text.Json;
using ActorDemo.Testing;
using ActorDemo.Testing.Network;
using ActorDemo.Testing.Routers;
using Akka.Streams;

namespace ActorDemo.Reliability.Tests;

/// <summary>
/// ActorDemo as its pods run it, on a <see cref="NetworkLab"/>: Qpid Dispatch (the router overlay as
/// it ships), two aggregator nodes and a sensor node, each on a host of its own with every port at
/// its default; each aggregator lists both aggregators as seeds. The test reads <c>max</c> from the
/// lab's bridge address.
/// </summary>
internal sealed class LabCluster : IAsyncDisposable
{
    public static readonly TimeSpan Formation = TimeSpan.FromSeconds(90);
    private Action<string> _report = _ => { };
    private readonly string _state = Directory.CreateTempSubdirectory("actordemo-lab-").FullName;

    private LabCluster(NetworkLab lab, LabHost router, LabHost first, LabHost second, LabHost sensors, QpidDispatchFixture dispatch)
    {
        Lab = lab;
        RouterHost = router;
        FirstHost = first;
        SecondHost = second;
        SensorHost = sensors;
        Router = dispatch;
    }

    public NetworkLab Lab { get; }

    public LabHost RouterHost { get; }

    /// <summary>The first aggregator: started first, so the oldest, and the singleton's host.</summary>
    public LabHost FirstHost { get; }

    public LabHost SecondHost { get; }

    public LabHost SensorHost { get; }

    public QpidDispatchFixture Router { get; }

    public WindowMaxima Maxima { get; private set; } = null!;

    /// <summary>Every node's reading ledger, for the per-reading reconciliation.</summary>
    public ReadingLedgers Ledgers { get; } = new();

    private string Seeds => $"akka.tcp://actordemo@{FirstHost.Address}:4053,akka.tcp://actordemo@{SecondHost.Address}:4053";

    /// <summary>The lab, the router, both aggregators and 40 steady sensors at 5 Hz, once windows merge both aggregators' shares.</summary>
    /// <param name="report">Told, when the cluster stops, every warning its nodes logged.</param>
    /// <param name="firstClockLag">How far the first aggregator's clock (the singleton's host) is set back (libfaketime); none: the machine's clock.</param>
    /// <param name="secondClockLag">The same for the second aggregator.</param>
    public static async Task<(LabCluster Cluster, ExternalProcess First, ExternalProcess Second, ExternalProcess Sensors)> StartAsync(
        IMaterializer materializer, Action<string> report, TimeSpan? firstClockLag = null, TimeSpan? secondClockLag = null)
    {
        var lab = await NetworkLab.CreateAsync();
        try
        {
            var (router, first, second, sensors) = (await lab.AddHostAsync("router"), await lab.AddHostAsync("a"), await lab.AddHostAsync("b"), await lab.AddHostAsync("s"));
            var cluster = new LabCluster(lab, router, first, second, sensors, await QpidDispatchFixture.StartInAsync(router)) { _report = report };
            cluster.Maxima = WindowMaxima.Read(cluster.Router.ReachableUrl, materializer);
            var a = cluster.StartAggregator(first, firstClockLag);
            await a.WaitForLineAsync(l => l.Contains("Cluster member up:"), Formation);
            var b = cluster.StartAggregator(second, secondClockLag);
            var s = cluster.StartSensors("lab");
            await cluster.MembersUpAsync(second, 3);
            await Eventually.Assert(() => Xunit.Assert.Contains(cluster.Maxima.Windows, w => w.Nodes == 2), Formation);
            return (cluster, a, b, s);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <param name="clockLag">How far to set the node's clock back, with libfaketime; the monotonic clock stays true.</param>
    public ExternalProcess StartAggregator(LabHost host, TimeSpan? clockLag = null) => host.Start(
        Nodes.Aggregator,
        [
            "--amqp-url", Router.ReachableUrl, "--hostname", host.Address, "--seeds", Seeds, "--window", "1s",
            "--inspection-hostname", "0.0.0.0", "--management-hostname", "0.0.0.0", "--state-dir", Path.Combine(_state, host.Name),
            .. Ledgers.Flag("aggregator"),
        ],
        clockLag is { } lag ? FakeClock.Environment(-lag) : null);

    /// <param name="name">The node part of the device ids.</param>
    public ExternalProcess StartSensors(string name) => SensorHost.Start(Nodes.Sensors, [
        "--amqp-url", Router.ReachableUrl, "--hostname", SensorHost.Address, "--port", "4053", "--seeds", Seeds,
        "--sensors", "40", "--interval", "200ms", "--steady-temperature", "20", "--node-name", name, .. Ledgers.Flag("sensors")]);

    /// <summary><c>cmd</c> as an operator runs it inside the node's pod: against its inspection on loopback.</summary>
    public async Task<(int Status, IReadOnlyList<string> Lines)> Cmd(LabHost host, params string[] command)
    {
        var client = host.Start(Nodes.Aggregator, ["cmd", "127.0.0.1:9110", .. command]);
        var status = await client.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (status, client.Lines);
    }

    /// <summary>Waits until the aggregator on <paramref name="host"/> sees <paramref name="count"/> members, all Up and reachable.</summary>
    public Task MembersUpAsync(LabHost host, int count) => Eventually.Assert(
        async () =>
        {
            var (_, lines) = await Cmd(host, "cluster", "show", "--json");
            using var json = JsonDocument.Parse(string.Join('\n', lines));
            var members = json.RootElement.GetProperty("members").EnumerateArray().ToList();
            Xunit.Assert.Equal(count, members.Count);
            Xunit.Assert.All(members, m => Xunit.Assert.Equal("Up", m.GetProperty("status").GetString()));
            Xunit.Assert.Empty(json.RootElement.GetProperty("unreachable").EnumerateArray());
        },
        Formation);

    /// <summary>The longest time between two windows arriving on <c>max</c> since <paramref name="since"/>.</summary>
    public TimeSpan LongestSilenceSince(DateTimeOffset since)
    {
        var arrivals = Maxima.Arrivals.Where(a => a >= since).Prepend(since).ToList();
        return arrivals.Zip(arrivals.Skip(1), (earlier, later) => later - earlier).DefaultIfEmpty(TimeSpan.Zero).Max();
    }

    public async ValueTask DisposeAsync()
    {
        // What the nodes warned of while the spec ran, so that a failed run says why.
        foreach (var host in new[] { FirstHost, SecondHost, SensorHost })
        {
            foreach (var process in host.Processes)
            {
                foreach (var line in process.Lines.Where(ExternalProcess.IsWarning))
                {
                    _report($"{host.Name}[{process.Id}]: {line}");
                }
            }
        }

        await Router.DisposeAsync();
        await Lab.DisposeAsync();
        await Ledgers.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }
}
