using ActorDemo.Testing;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>The whole pipeline, with the executables as real processes: cluster, AMQP, windows.</summary>
public sealed class PipelineSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IAsyncLifetime
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);
    private readonly Nodes _nodes = new(report: output.WriteLine);
    private WindowMaxima? _maxima;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task An_aggregator_and_two_sensor_processes_form_a_cluster_whose_maxima_match_what_the_sensors_sent()
    {
        var aggregator = _nodes.StartAggregator();
        await aggregator.WaitForLineAsync(l => Nodes.SaysAttached(l), Formation);
        _nodes.StartSensors("--sensors", "3", "--steady-temperature", "20", "--node-name", "low");
        var high = _nodes.StartSensors("--sensors", "3", "--steady-temperature", "30", "--node-name", "high");
        SubscribeToMaxima();

        await aggregator.WaitForLineAsync(_ => Count(aggregator, "Cluster member up:") == 3, Formation);
        // Steady sensors: the highest device of the high node reads 30.2 °C, the low node's 20.2 °C.
        await Eventually.Assert(() => Assert.Contains(Maxima(), w => w is { Max: 30.2, DeviceId: "sensor-high-0002" }), Formation);
        // A window may hold only some devices' readings (the first one often does), but its maximum is always a true reading.
        Assert.All(Maxima(), w => Assert.Equal(SteadyReading(w.DeviceId), w.Max));

        high.Kill();
        // Unreachable, then downed by the split brain resolver (keep-oldest: the aggregator, oldest, stays) and removed.
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member removed:") && l.Contains("(was Down)"), Formation);
        var seen = Maxima().Count;
        await Eventually.Assert(() => Assert.Contains(Maxima().Skip(seen), w => w is { Max: 20.2, DeviceId: "sensor-low-0002" }), Formation);
    }

    [Fact]
    public async Task The_one_command_demo_prints_a_maximum_every_window_and_stops_cleanly_on_SIGTERM()
    {
        var demo = _nodes.StartAggregator("--with-sensors", "--sensors", "4");

        await demo.WaitForLineAsync(l => Count(demo, "readings") >= 3 && l.Contains(" max ") && l.Contains(" °C (sensor-"), Formation);

        demo.Terminate();
        Assert.Equal(0, await demo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(demo.Lines, l => l.Contains("Leaving") || l.Contains("Exiting"));
    }

    [Fact]
    public async Task A_sensor_process_stopped_with_SIGTERM_leaves_the_cluster_gracefully()
    {
        var aggregator = _nodes.StartAggregator();
        var sensors = _nodes.StartSensors("--sensors", "2", "--node-name", "leaving");
        await aggregator.WaitForLineAsync(_ => Count(aggregator, "Cluster member up:") == 2, Formation);

        sensors.Terminate();

        Assert.Equal(0, await sensors.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        // A graceful leave: the member moves to Exiting and is removed, never marked unreachable.
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member removed:") && l.Contains("(was Exiting)"), Formation);
        Assert.DoesNotContain(aggregator.Lines, l => l.Contains("Cluster member unreachable:"));
    }

    [Fact]
    public async Task Readings_of_the_original_proton_publisher_yield_their_maximum()
    {
        var aggregator = _nodes.StartAggregator();
        await aggregator.WaitForLineAsync(l => Nodes.SaysAttached(l), Formation);
        SubscribeToMaxima();

        _nodes.Start("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "proton_publisher.py"), _nodes.RouterUrl, "temperature", "0.05", "21", "23", "22.5"]);

        await Eventually.Assert(() => Assert.Contains(Maxima(), w => w is { Max: 23, DeviceId: "unknown" } && w.Count >= 3), Formation);
        // A window may hold only some of the values (the first one often does); its maximum is one of them.
        Assert.All(Maxima(), w => Assert.Contains(w.Max, new[] { 21, 23, 22.5 }));
    }

    private static double SteadyReading(string deviceId) => WindowOnWire.SteadyReading(deviceId, deviceId.Split('-')[1] switch
    {
        "high" => 30.0,
        "low" => 20.0,
        _ => throw new Xunit.Sdk.XunitException($"{deviceId} is not one of this spec's sensors"),
    });

    private static int Count(ExternalProcess process, string text) => process.Lines.Count(l => l.Contains(text));

    private IReadOnlyList<WindowOnWire> Maxima() => _maxima?.Windows ?? [];

    private void SubscribeToMaxima() => _maxima = WindowMaxima.Read(_nodes.RouterUrl, Sys.Materializer());
}
