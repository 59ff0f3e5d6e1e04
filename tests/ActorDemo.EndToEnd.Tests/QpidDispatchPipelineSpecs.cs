using System.Text.Json;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>The pipeline through the real router: the original publisher, two aggregators, a router restart, a network of routers.</summary>
public sealed class QpidDispatchPipelineSpecs(ITestOutputHelper output) : QpidDispatchSpec(output)
{
    [Fact]
    public async Task Readings_of_the_original_proton_publisher_reach_a_window_maximum_and_max()
    {
        var aggregator = Nodes.StartAggregator();
        await Nodes.AttachedAsync(aggregator);
        var maxima = WindowMaxima.Read(Router.Url, Sys.Materializer());

        Nodes.Start("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "proton_publisher.py"), Router.Url, "temperature", "0.05", "21", "23", "22.5"]);

        await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w is { Max: 23, DeviceId: "unknown" } && w.Count >= 3), Formation);
        // A window may hold only some of the values (the first one often does); its maximum is one of them.
        Assert.All(maxima.Windows, w => Assert.Contains(w.Max, new[] { 21, 23, 22.5 }));
    }

    [Fact]
    public async Task Two_aggregators_share_the_readings_and_max_gets_one_cluster_wide_maximum_per_window_counting_every_accepted_reading()
    {
        var first = Nodes.StartAggregator(Ledgers.Flag("aggregator"));
        var secondInspection = $"127.0.0.1:{Loopback.FreePort()}";
        var second = Nodes.StartAnotherAggregator(int.Parse(secondInspection.Split(':')[1]), Ledgers.Flag("aggregator"));
        await Nodes.AttachedAsync(first);
        await Nodes.AttachedAsync(second);
        var maxima = WindowMaxima.Read(Router.Url, Sys.Materializer());
        Nodes.StartSensors(["--sensors", "40", "--steady-temperature", "20", "--node-name", "shared", .. Ledgers.Flag("sensors")]);
        await first.WaitForLineAsync(_ => Count(first, "Cluster member up:") == 3, Formation);

        // Qpid Dispatch balances by outstanding deliveries: at 200 readings/s both receivers get some,
        // and a whole window (200 readings) merges both nodes' shares. The first window is often partial,
        // so the sensors run until a whole one was seen.
        await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w is { Nodes: 2, Max: 23.9, Count: >= 150 }), Formation);

        var totals = await Nodes.StopSensorsAsync(Nodes.Inspection);
        var reconciled = await EveryAcceptedReadingStandsAsync(maxima, totals.Accepted);
        // No fault: every reading offered accepted, and counted exactly once.
        Assert.True(totals.AllAccepted, totals.ToString());
        Assert.Empty(reconciled.Twice);
        Assert.Equal(totals.Accepted, maxima.Counted);
        Output.WriteLine(
            $"received by the first {await ReadingsReceived(Nodes.Inspection)}, by the second {await ReadingsReceived(secondInspection)}; " +
            $"nodes per window: {string.Join(' ', maxima.Windows.Select(w => w.Nodes))}");
        Assert.Equal(maxima.Windows.Count, maxima.Windows.Select(w => w.WindowStart).Distinct().Count());
        Assert.All(maxima.Windows, w => Assert.Equal(WindowOnWire.SteadyReading(w.DeviceId, 20), w.Max));
    }

    [Fact]
    public async Task An_aggregator_node_takes_readings_only_once_it_is_Up_in_the_cluster()
    {
        // Its seed (the first aggregator) is not running yet: the node cannot join, so it leaves the readings to others.
        var second = Nodes.StartAnotherAggregator(Loopback.FreePort());
        await second.WaitForLineAsync(l => l.Contains("Couldn't join seed nodes"), Formation);
        Assert.DoesNotContain(second.Lines, l => l.Contains("AMQP link to 'temperature'"));

        Nodes.StartAggregator();

        await Nodes.AttachedAsync(second);
    }

    [Fact]
    public async Task The_pipeline_recovers_from_a_router_restart_and_counts_every_reading_the_sensors_saw_accepted()
    {
        var aggregator = Nodes.StartAggregator(Ledgers.Flag("aggregator"));
        await Nodes.AttachedAsync(aggregator);
        var maxima = WindowMaxima.Read(Router.Url, Sys.Materializer());
        var sensors = Nodes.StartSensors(["--sensors", "10", "--steady-temperature", "20", "--node-name", "steady", .. Ledgers.Flag("sensors")]);
        await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w.Count > 0), Formation);

        await Router.RestartAsync(() => aggregator.WaitForLineAsync(l => l.Contains("AMQP lost the link to 'temperature'"), Formation));

        var before = maxima.Windows.Count;
        await sensors.WaitForLineAsync(l => l.Contains("AMQP link to 'temperature'") && l.Contains("attached"), Formation);
        await Eventually.Assert(() => Assert.Contains(maxima.Windows.Skip(before), w => w.Count > 0), Formation);

        var totals = await Nodes.StopSensorsAsync(Nodes.Inspection);
        var reconciled = await EveryAcceptedReadingStandsAsync(maxima, totals.Accepted);
        // One aggregator: a reading the router lost the outcome of comes again and is recognised, not counted twice.
        Assert.True(totals.AllAccepted, totals.ToString());
        Assert.Empty(reconciled.Twice);
        Assert.Equal(totals.Accepted, maxima.Counted);
    }

    [Fact]
    public async Task Readings_cross_the_router_mesh_overlays_network_from_the_sensors_to_the_aggregator()
    {
        // Two routers of deploy/k8s/router-mesh, each configured by the overlay's own script: the second joins the first.
        var (sensorSide, firstInterRouter) = (Loopback.FreePort(), Loopback.FreePort());
        var sensorRouter = Started(await QpidDispatchFixture.StartAsync(
            sensorSide, QpidDispatchConfig.RouterMeshMember(0, sensorSide, Loopback.FreePort(), firstInterRouter, [])));
        var aggregatorSide = Loopback.FreePort();
        var aggregatorRouter = Started(await QpidDispatchFixture.StartAsync(
            aggregatorSide, QpidDispatchConfig.RouterMeshMember(1, aggregatorSide, Loopback.FreePort(), Loopback.FreePort(), [firstInterRouter])));
        var nodes = Started(new Nodes(aggregatorRouter.Url));

        var aggregator = nodes.StartAggregator();
        await Nodes.AttachedAsync(aggregator);
        var maxima = WindowMaxima.Read(sensorRouter.Url, Sys.Materializer());
        nodes.StartSensorsOn(sensorRouter.Url, "--sensors", "3", "--steady-temperature", "25", "--node-name", "far");

        await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w is { Max: 25.2, DeviceId: "sensor-far-0002" }), Formation);
    }

    private static int Count(ExternalProcess process, string text) => process.Lines.Count(l => l.Contains(text));

    /// <summary>What the readings link of the node at <paramref name="inspection"/> has received.</summary>
    private static async Task<long> ReadingsReceived(string inspection)
    {
        var (_, lines) = await Nodes.CmdAt(inspection, "amqp", "show", "--json");
        return JsonDocument.Parse(string.Join('\n', lines)).RootElement.GetProperty("links").EnumerateArray()
            .Single(l => l.GetProperty("name").GetString() == "readings-in").GetProperty("received").GetInt64();
    }
}
