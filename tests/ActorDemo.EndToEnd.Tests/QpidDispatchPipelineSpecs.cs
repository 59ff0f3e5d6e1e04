using System.Text.Json;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>
/// The pipeline with the real executables and the real router: Apache Qpid Dispatch Router started
/// with the qdrouterd.conf that deploy/k8s/router ships (only its listeners moved to loopback), as
/// EnMasse's standard address spaces and the router overlay run it.
/// </summary>
public sealed class QpidDispatchPipelineSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IAsyncLifetime
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);
    private readonly List<IAsyncDisposable> _running = [];
    private QpidDispatchFixture _router = null!;
    private Nodes _nodes = null!;

    public async Task InitializeAsync()
    {
        var port = Loopback.FreePort();
        _router = await QpidDispatchFixture.StartAsync(port, QpidDispatchConfig.RouterOverlay(port, Loopback.FreePort()));
        _nodes = new Nodes(_router.Url);
        _running.Add(_nodes);
        _running.Add(_router);
    }

    public async Task DisposeAsync()
    {
        foreach (var running in _running)
        {
            await running.DisposeAsync();
        }
    }

    [Fact]
    public async Task Readings_of_the_original_proton_publisher_reach_a_window_maximum_and_max()
    {
        var aggregator = _nodes.StartAggregator();
        await AttachedAsync(aggregator);
        var maxima = WindowMaxima.Read(_router.Url, Sys.Materializer());

        _nodes.Start("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "proton_publisher.py"), _router.Url, "temperature", "0.05", "21", "23", "22.5"]);

        await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w is { Max: 23, DeviceId: "unknown" } && w.Count >= 3), Formation);
        Assert.All(maxima.Windows, w => Assert.Equal(23, w.Max));
    }

    [Fact]
    public async Task Two_aggregators_share_the_readings_and_every_reading_the_sensors_saw_accepted_is_counted()
    {
        var first = _nodes.StartAggregator();
        var secondInspection = $"127.0.0.1:{Loopback.FreePort()}";
        var second = _nodes.StartAnotherAggregator(int.Parse(secondInspection.Split(':')[1]));
        await AttachedAsync(first);
        await AttachedAsync(second);
        var maxima = WindowMaxima.Read(_router.Url, Sys.Materializer());
        _nodes.StartSensors("--sensors", "40", "--steady-temperature", "20", "--node-name", "shared");
        await first.WaitForLineAsync(_ => Count(first, "Cluster member up:") == 3, Formation);

        // Qpid Dispatch balances by outstanding deliveries: at 200 readings/s both receivers get some.
        await Eventually.Assert(async () =>
        {
            Assert.True(await ReadingsReceived(_nodes.Inspection) > 0);
            Assert.True(await ReadingsReceived(secondInspection) > 0);
        }, Formation);

        var accepted = await StopSensorsAndCountAcceptedAsync();
        await Eventually.Assert(() => Assert.True(maxima.Counted >= accepted, $"{maxima.Counted} counted, {accepted} accepted"), Formation);
        Output!.WriteLine(
            $"accepted by the aggregators: {accepted}; counted in windows on 'max': {maxima.Counted}; " +
            $"received by the first {await ReadingsReceived(_nodes.Inspection)}, by the second {await ReadingsReceived(secondInspection)}");
        Assert.All(maxima.Windows, w => Assert.Equal(WindowOnWire.SteadyReading(w.DeviceId, 20), w.Max));
    }

    [Fact]
    public async Task The_pipeline_recovers_from_a_router_restart_and_counts_every_reading_the_sensors_saw_accepted()
    {
        var aggregator = _nodes.StartAggregator();
        await AttachedAsync(aggregator);
        var maxima = WindowMaxima.Read(_router.Url, Sys.Materializer());
        var sensors = _nodes.StartSensors("--sensors", "10", "--steady-temperature", "20", "--node-name", "steady");
        await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w.Count > 0), Formation);

        await _router.RestartAsync(() => aggregator.WaitForLineAsync(l => l.Contains("AMQP lost the link to 'temperature'"), Formation));

        var before = maxima.Windows.Count;
        await sensors.WaitForLineAsync(l => l.Contains("AMQP link to 'temperature'") && l.Contains("attached"), Formation);
        await Eventually.Assert(() => Assert.Contains(maxima.Windows.Skip(before), w => w.Count > 0), Formation);

        var accepted = await StopSensorsAndCountAcceptedAsync();
        await Eventually.Assert(() => Assert.True(maxima.Counted >= accepted, $"{maxima.Counted} counted, {accepted} accepted"), Formation);
        Output!.WriteLine($"accepted by the aggregator: {accepted}; counted in windows on 'max': {maxima.Counted}");
    }

    [Fact]
    public async Task Readings_cross_the_router_mesh_overlays_network_from_the_sensors_to_the_aggregator()
    {
        // Two routers of deploy/k8s/router-mesh, each configured by the overlay's own script: the second joins the first.
        var (sensorSide, firstInterRouter) = (Loopback.FreePort(), Loopback.FreePort());
        var sensorRouter = await QpidDispatchFixture.StartAsync(
            sensorSide, QpidDispatchConfig.RouterMeshMember(0, sensorSide, Loopback.FreePort(), firstInterRouter, []));
        _running.Insert(0, sensorRouter);
        var aggregatorSide = Loopback.FreePort();
        var aggregatorRouter = await QpidDispatchFixture.StartAsync(
            aggregatorSide, QpidDispatchConfig.RouterMeshMember(1, aggregatorSide, Loopback.FreePort(), Loopback.FreePort(), [firstInterRouter]));
        _running.Insert(0, aggregatorRouter);
        var nodes = new Nodes(aggregatorRouter.Url);
        _running.Insert(0, nodes);

        var aggregator = nodes.StartAggregator();
        await AttachedAsync(aggregator);
        var maxima = WindowMaxima.Read(sensorRouter.Url, Sys.Materializer());
        nodes.StartSensorsOn(sensorRouter.Url, "--sensors", "3", "--steady-temperature", "25", "--node-name", "far");

        await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w is { Max: 25.2, DeviceId: "sensor-far-0002" }), Formation);
    }

    private static Task AttachedAsync(ExternalProcess node) =>
        node.WaitForLineAsync(l => l.Contains("AMQP link to 'temperature'") && l.Contains("attached"), Formation);

    private static int Count(ExternalProcess process, string text) => process.Lines.Count(l => l.Contains(text));

    /// <summary>Stops every sensor through <c>cmd sensors scale 0</c>, waits until nothing is left unsettled, and returns what the aggregators accepted.</summary>
    private async Task<long> StopSensorsAndCountAcceptedAsync()
    {
        var node = (await SensorNodes()).Single().GetProperty("node").GetString()!;
        var (status, lines) = await _nodes.Cmd("sensors", "scale", "0", "--node", node);
        Assert.True(status == 0, string.Join('\n', lines));
        long accepted = 0;
        await Eventually.Assert(async () =>
        {
            var report = (await SensorNodes()).Single();
            Assert.Equal(0, report.GetProperty("buffered").GetInt32());
            Assert.Equal(0, report.GetProperty("unsettled").GetInt64());
            accepted = report.GetProperty("accepted").GetInt64();
        }, Formation);
        return accepted;
    }

    private async Task<IReadOnlyList<JsonElement>> SensorNodes()
    {
        var (_, lines) = await _nodes.Cmd("sensors", "show", "--json");
        return [.. JsonDocument.Parse(string.Join('\n', lines)).RootElement.GetProperty("nodes").EnumerateArray()];
    }

    /// <summary>What the readings link of the node at <paramref name="inspection"/> has received.</summary>
    private static async Task<long> ReadingsReceived(string inspection)
    {
        var (_, lines) = await Nodes.CmdAt(inspection, "amqp", "show", "--json");
        return JsonDocument.Parse(string.Join('\n', lines)).RootElement.GetProperty("links").EnumerateArray()
            .Single(l => l.GetProperty("name").GetString() == "readings-in").GetProperty("received").GetInt64();
    }
}
