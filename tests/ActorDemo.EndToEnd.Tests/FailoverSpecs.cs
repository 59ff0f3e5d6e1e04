using System.Diagnostics;
using ActorDemo.Testing;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>
/// Aggregators killed, a sensor node left alone, a node stopped without a link: real processes
/// through a real Qpid Dispatch router, counting every reading.
/// </summary>
public sealed class FailoverSpecs(ITestOutputHelper output) : QpidDispatchSpec(output)
{
    [Fact]
    public async Task Killing_an_aggregator_and_then_the_singletons_host_loses_no_reading_the_sensors_saw_accepted()
    {
        var oldest = Nodes.StartAggregator(Ledgers.Flag("aggregator"));
        await Nodes.AttachedAsync(oldest);
        var (second, _) = StartAggregator();
        var (third, thirdInspection) = StartAggregator();
        await Nodes.AttachedAsync(second);
        await Nodes.AttachedAsync(third);
        var maxima = WindowMaxima.Read(Router.Url, Sys.Materializer());
        Nodes.StartSensors(["--sensors", "40", "--steady-temperature", "20", "--node-name", "steady", .. Ledgers.Flag("sensors")]);
        await oldest.WaitForLineAsync(_ => oldest.Lines.Count(l => l.Contains("Cluster member up:")) == 4, Formation);
        await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w.Nodes == 3), Formation);

        // The singleton runs on the oldest aggregator; first a node that does not host it goes, mid-window.
        await KillAndTimeNextWindow(second, "an aggregator", maxima);
        // Two aggregators lost at once would leave the oldest's side unknown: the next kill waits for the removal.
        await third.WaitForLineAsync(l => l.Contains("Cluster member removed:") && l.Contains("(was Down)"), Formation);
        await KillAndTimeNextWindow(oldest, "the singleton's host", maxima);
        await third.WaitForLineAsync(l => l.Contains("Singleton manager started singleton actor"), Formation);

        var accepted = (await Nodes.StopSensorsAsync(thirdInspection)).Accepted;
        await EveryAcceptedReadingStandsAsync(maxima, accepted);
        Assert.Equal(maxima.Windows.Count, maxima.Windows.Select(w => w.WindowStart).Distinct().Count());
        Output.WriteLine($"nodes per window: {string.Join(' ', maxima.Windows.Select(w => w.Nodes))}");
    }

    [Fact]
    public async Task An_aggregator_that_leaves_gracefully_loses_no_reading_the_sensors_saw_accepted()
    {
        var first = Nodes.StartAggregator(Ledgers.Flag("aggregator"));
        var (second, _) = StartAggregator();
        await Nodes.AttachedAsync(first);
        await Nodes.AttachedAsync(second);
        var maxima = WindowMaxima.Read(Router.Url, Sys.Materializer());
        Nodes.StartSensors(["--sensors", "40", "--steady-temperature", "20", "--node-name", "steady", .. Ledgers.Flag("sensors")]);
        await first.WaitForLineAsync(_ => first.Lines.Count(l => l.Contains("Cluster member up:")) == 3, Formation);
        await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w.Nodes == 2), Formation);

        // SIGTERM, as Kubernetes stops a pod: the node stops taking readings, settles what it counted, leaves.
        second.Terminate();
        Assert.Equal(0, await second.WaitForExitAsync(Formation));
        var accepted = (await Nodes.StopSensorsAsync(Nodes.Inspection)).Accepted;

        await EveryAcceptedReadingStandsAsync(maxima, accepted);
    }

    [Fact]
    public async Task A_lone_aggregator_killed_and_restarted_with_its_state_folder_counts_every_reading_it_had_settled()
    {
        var state = Directory.CreateTempSubdirectory("actordemo-state-");
        try
        {
            var aggregator = Nodes.StartAggregator(["--state-dir", state.FullName, .. Ledgers.Flag("aggregator")]);
            await Nodes.AttachedAsync(aggregator);
            var maxima = WindowMaxima.Read(Router.Url, Sys.Materializer());
            var sensors = Nodes.StartSensors(["--sensors", "20", "--steady-temperature", "20", "--node-name", "steady", "--rejoin-after", "3s", .. Ledgers.Flag("sensors")]);
            // A member, so that it stops once its only aggregator is gone (readings flow through the router before it joins).
            await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:") && l.Contains("[sensor]"), Formation);
            await Eventually.Assert(() => Assert.Contains(maxima.Windows, w => w.Count > 0), Formation);

            // Mid-window: the readings it settled of the open window are only in its memory and its journal.
            aggregator.Kill();
            Assert.NotEqual(0, await sensors.WaitForExitAsync(Formation));
            var accepted = PublisherCounts(sensors).Accepted;
            var restarted = Nodes.StartAggregator(["--state-dir", state.FullName, .. Ledgers.Flag("aggregator")]);

            const string Carried = "that a previous run of this node had settled are counted again";
            await restarted.WaitForLineAsync(l => l.Contains(Carried), Formation);
            var carried = restarted.Lines.First(l => l.Contains(Carried));
            await EveryAcceptedReadingStandsAsync(maxima, accepted);
            Output.WriteLine(carried);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_lone_sensor_node_whose_aggregator_is_killed_and_restarted_ends_up_in_one_cluster_with_it()
    {
        var aggregator = Nodes.StartAggregator();
        await Nodes.AttachedAsync(aggregator);
        string[] sensorArguments = ["--sensors", "2", "--node-name", "lone", "--rejoin-after", "3s"];
        var sensors = Nodes.StartSensors(sensorArguments);
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:") && l.Contains("[sensor]"), Formation);

        aggregator.Kill();
        await sensors.WaitForLineAsync(l => l.Contains("The last aggregator node left the cluster"), Formation);
        var restarted = Nodes.StartAggregator();

        // The sensor node cannot join the restarted aggregator's new cluster while it runs: it stops
        // with a status that asks for a restart (75, or 3 when the split brain resolver downs it
        // first), and its supervisor (here, this test) starts it again.
        Assert.NotEqual(0, await sensors.WaitForExitAsync(Formation));
        Nodes.StartSensors(sensorArguments);

        await restarted.WaitForLineAsync(l => l.Contains("Cluster member up:") && l.Contains("[sensor]"), Formation);
        await restarted.WaitForLineAsync(l => l.Contains("readings from 1 node"), Formation);
    }

    [Fact]
    public async Task A_restarted_aggregator_given_more_than_one_seed_rejoins_the_surviving_members()
    {
        var (first, second) = (Nodes.SeedPort, Loopback.FreePort());
        var seeds = $"akka.tcp://actordemo@127.0.0.1:{first},akka.tcp://actordemo@127.0.0.1:{second}";
        ExternalProcess Aggregator(int port) => Nodes.Start(Nodes.Aggregator, [
            "--amqp-url", Router.Url, "--port", port.ToString(), "--seeds", seeds, "--window", "1s", "--inspection-port", "0", "--management-port", "0"]);
        var killed = Aggregator(first);
        await killed.WaitForLineAsync(l => l.Contains("Cluster member up:"), Formation);
        var surviving = Aggregator(second);
        Nodes.StartSensors("--sensors", "2", "--node-name", "kept");
        await surviving.WaitForLineAsync(_ => surviving.Lines.Count(l => l.Contains("Cluster member up:")) == 3, Formation);

        killed.Kill();
        await surviving.WaitForLineAsync(l => l.Contains($"Cluster member removed: akka.tcp://actordemo@127.0.0.1:{first}") && l.Contains("(was Down)"), Formation);
        var restarted = Aggregator(first);

        // The first seed asks the other seeds before it would form a cluster of its own.
        await restarted.WaitForLineAsync(l => l.Contains($"Welcome from [akka.tcp://actordemo@127.0.0.1:{second}]"), Formation);
        await surviving.WaitForLineAsync(l => l.Contains($"Cluster member up: akka.tcp://actordemo@127.0.0.1:{first}"), Formation);
    }

    [Fact]
    public async Task A_sensor_node_stopped_without_a_link_counts_every_reading_it_could_not_deliver_as_dropped()
    {
        var port = Loopback.FreePort();
        var sensors = Nodes.Start(Nodes.Sensors, [
            "--amqp-url", $"amqp://127.0.0.1:{Loopback.FreePort()}", "--port", port.ToString(), "--seeds", $"akka.tcp://actordemo@127.0.0.1:{port}",
            "--sensors", "5", "--interval", "100ms", "--node-name", "unlinked"]);
        await sensors.WaitForLineAsync(l => l.Contains("AMQP cannot connect to 'temperature'"), Formation);

        sensors.Terminate();

        Assert.Equal(0, await sensors.WaitForExitAsync(Formation));
        Assert.Contains(sensors.Lines, l => l.Contains("Stopping without a working link to 'temperature'"));
        var (offered, accepted, dropped) = PublisherCounts(sensors);
        Assert.True(offered > 0);
        Assert.Equal(offered, accepted + dropped);
    }

    /// <summary>What a sensor node's publisher said it did when it stopped.</summary>
    private static (long Offered, long Accepted, long Dropped) PublisherCounts(ExternalProcess sensors)
    {
        var stopped = System.Text.RegularExpressions.Regex.Match(
            sensors.Lines.Single(l => l.Contains("Publisher stopped:")), @"(\d+) readings offered, (\d+) accepted by the router, (\d+) dropped");
        return (long.Parse(stopped.Groups[1].Value), long.Parse(stopped.Groups[2].Value), long.Parse(stopped.Groups[3].Value));
    }

    private (ExternalProcess Process, string Inspection) StartAggregator()
    {
        var port = Loopback.FreePort();
        return (Nodes.StartAnotherAggregator(port, Ledgers.Flag("aggregator")), $"127.0.0.1:{port}");
    }

    private async Task KillAndTimeNextWindow(ExternalProcess aggregator, string what, WindowMaxima maxima)
    {
        var before = maxima.Windows.Count;
        var clock = Stopwatch.StartNew();
        aggregator.Kill();
        await Eventually.Assert(() => Assert.Contains(maxima.Windows.Skip(before), w => w.Count > 0), Formation);
        Output!.WriteLine($"after killing {what}: the next window on 'max' came {clock.Elapsed.TotalSeconds:0.0} s later");
    }
}
