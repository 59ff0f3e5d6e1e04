using System.Text.RegularExpressions;
using ActorDemo.Testing;
using ActorDemo.Testing.Network;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Reliability.Tests;

/// <summary>
/// The fault suite: a bad day on a real network, with every node, Qpid Dispatch and the sensors on a
/// Linux network namespace of their own (<see cref="LabCluster"/>). A cut takes a host's link down,
/// a pause is SIGSTOP. Each spec asserts one value per window on <c>max</c>, every reading the
/// sensors saw accepted in the windows, and one cluster at the end; it prints how long <c>max</c>
/// fell silent. Needs root (CI runs ./test.sh as root).
/// </summary>
[Trait("Category", "Reliability")]
public sealed class NetworkFaultSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output)
{
    private static readonly TimeSpan ClockLag = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Fault = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_singleton_host_paused_for_20_s_is_replaced_and_never_publishes_again()
    {
        var (cluster, first, second, sensors) = await LabCluster.StartAsync(Sys.Materializer(), Report);
        await using var _ = cluster;
        var since = DateTimeOffset.UtcNow;

        first.Pause();
        await Task.Delay(Fault);
        first.Resume();

        // Downed meanwhile, it learns so once it runs again, and stops: its supervisor restarts it.
        Assert.NotEqual(0, await first.WaitForExitAsync(LabCluster.Formation));
        cluster.StartAggregator(cluster.FirstHost);
        await AssertWholeAsync(cluster, since, [sensors], [second, sensors]);
    }

    [Fact]
    public async Task A_singleton_host_cut_off_for_20_s_downs_itself_and_rejoins_the_survivors()
    {
        var (cluster, first, second, sensors) = await LabCluster.StartAsync(Sys.Materializer(), Report);
        await using var _ = cluster;
        var since = DateTimeOffset.UtcNow;

        // Alone on its side, with as many aggregators as the other side and fewer members, it loses.
        await CutOffAsync(cluster.FirstHost, first, since);

        var restarted = cluster.StartAggregator(cluster.FirstHost);
        await restarted.WaitForLineAsync(l => l.Contains($"Welcome from [akka.tcp://actordemo@{cluster.SecondHost.Address}:4053]"), LabCluster.Formation);
        await AssertWholeAsync(cluster, since, [sensors], [second, sensors]);
    }

    [Fact]
    public async Task An_aggregator_cut_off_for_20_s_downs_itself_while_the_singleton_goes_on_alone()
    {
        var (cluster, first, second, sensors) = await LabCluster.StartAsync(Sys.Materializer(), Report);
        await using var _ = cluster;
        var since = DateTimeOffset.UtcNow;

        await CutOffAsync(cluster.SecondHost, second, since);

        cluster.StartAggregator(cluster.SecondHost);
        await AssertWholeAsync(cluster, since, [sensors], [first, sensors]);
    }

    [Fact]
    public async Task An_aggregator_cut_from_the_router_for_20_s_has_its_readings_redelivered_to_the_other_and_attaches_again()
    {
        var (cluster, first, second, sensors) = await LabCluster.StartAsync(Sys.Materializer(), Report);
        await using var _ = cluster;
        var since = DateTimeOffset.UtcNow;
        var attachedBefore = second.Lines.Count(l => l.Contains("AMQP link to 'temperature'") && l.Contains("attached"));

        await NetworkLab.BlockAsync(cluster.SecondHost, cluster.RouterHost);
        await RestOfFault(since);
        await NetworkLab.UnblockAsync(cluster.SecondHost, cluster.RouterHost);

        // Still a member all along: only its link to the router broke, and it comes back.
        await second.WaitForLineAsync(
            _ => second.Lines.Count(l => l.Contains("AMQP link to 'temperature'") && l.Contains("attached")) > attachedBefore, LabCluster.Formation);
        await AssertWholeAsync(cluster, since, [sensors], [first, second, sensors]);
    }

    [Fact]
    public async Task A_sensor_node_cut_off_for_20_s_downs_itself_and_its_restart_rejoins()
    {
        var (cluster, first, second, sensors) = await LabCluster.StartAsync(Sys.Materializer(), Report);
        await using var _ = cluster;
        var since = DateTimeOffset.UtcNow;

        // No aggregator on its side: it downs itself, and counts what it could not deliver as dropped.
        await CutOffAsync(cluster.SensorHost, sensors, since);

        var restarted = cluster.StartSensors("lab-restarted");
        await AssertWholeAsync(cluster, since, [sensors, restarted], [first, second]);
    }

    [Fact]
    public Task A_singleton_host_whose_clock_lags_by_more_than_the_grace_loses_no_reading_from_max() =>
        AssertClocksApartAsync(firstClockLag: ClockLag, secondClockLag: null, "behind");

    [Fact]
    public Task An_aggregator_whose_clock_lags_by_more_than_the_grace_cuts_its_windows_by_the_singletons_clock_and_loses_no_reading_from_max() =>
        AssertClocksApartAsync(firstClockLag: null, secondClockLag: ClockLag, "ahead of");

    /// <summary>
    /// One aggregator's clock set back by <see cref="ClockLag"/>: the second aggregator says how far the
    /// singleton's clock is from its own (<paramref name="direction"/>; its estimate is the offset less
    /// the quickest trip of a check, which a loaded machine stretches to some tenths of a second), cuts
    /// its windows by the singleton's (so its shares do not lag), and no reading is lost.
    /// </summary>
    private async Task AssertClocksApartAsync(TimeSpan? firstClockLag, TimeSpan? secondClockLag, string direction)
    {
        var (cluster, first, second, sensors) = await LabCluster.StartAsync(Sys.Materializer(), Report, firstClockLag, secondClockLag);
        await using var _ = cluster;
        var since = DateTimeOffset.UtcNow;

        Func<string, bool> saysHowFar = l => l.Contains("The singleton's clock is ") && l.Contains($" s {direction} this node's");
        await second.WaitForLineAsync(saysHowFar, LabCluster.Formation);
        var said = System.Text.RegularExpressions.Regex.Match(second.Lines.First(saysHowFar), @"The singleton's clock is (\d+\.\d) s");
        Assert.InRange(double.Parse(said.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), ClockLag.TotalSeconds - 0.5, ClockLag.TotalSeconds + 0.2);
        await AssertMeasuredLagAsync(cluster, 0);
        await AssertWholeAsync(cluster, since, [sensors], [first, second, sensors]);
    }

    /// <summary>Waits until the singleton measures the second aggregator's shares <paramref name="seconds"/> behind its clock (a share's trip on top; negative: ahead).</summary>
    private static Task AssertMeasuredLagAsync(LabCluster cluster, double seconds) => Eventually.Assert(
        async () =>
        {
            var (_, lines) = await cluster.Cmd(cluster.FirstHost, "windows", "show", "--json");
            using var json = System.Text.Json.JsonDocument.Parse(string.Join('\n', lines));
            var measured = json.RootElement.GetProperty("clockLags").EnumerateArray()
                .Single(l => l.GetProperty("node").GetString()!.Contains(cluster.SecondHost.Address)).GetProperty("seconds").GetDouble();
            Assert.InRange(measured, seconds - 0.5, seconds + 1);
        },
        LabCluster.Formation);

    private void Report(string line) => Output?.WriteLine(line);

    /// <summary>
    /// Cuts <paramref name="host"/> off, waits until <paramref name="node"/> on it has downed itself and
    /// stopped (not with 0: its supervisor restarts it), and restores the link once the fault's 20 s are over.
    /// </summary>
    private static async Task CutOffAsync(LabHost host, ExternalProcess node, DateTimeOffset since)
    {
        await NetworkLab.CutAsync(host);
        Assert.NotEqual(0, await node.WaitForExitAsync(LabCluster.Formation));
        await RestOfFault(since);
        await NetworkLab.RestoreAsync(host);
    }

    /// <summary>Waits out what is left of the fault's 20 s, if anything.</summary>
    private static Task RestOfFault(DateTimeOffset since)
    {
        var left = Fault - (DateTimeOffset.UtcNow - since);
        return left > TimeSpan.Zero ? Task.Delay(left) : Task.CompletedTask;
    }

    /// <summary>
    /// After the fault: one cluster of the three nodes; the sensors stopped, and every reading the
    /// sensor nodes (those that stopped and the one running) saw accepted counted on <c>max</c>, with
    /// no window published twice.
    /// </summary>
    private async Task AssertWholeAsync(LabCluster cluster, DateTimeOffset faultStarted, IReadOnlyList<ExternalProcess> sensorNodes, IReadOnlyList<ExternalProcess> untouched)
    {
        await cluster.MembersUpAsync(cluster.SecondHost, 3);
        // The fault cost only the node it struck.
        Assert.All(untouched, node => Assert.False(node.HasExited, $"{node.Name} stopped:\n{string.Join('\n', node.Lines.TakeLast(20))}"));
        var accepted = (await Nodes.StopSensorsAsync(command => cluster.Cmd(cluster.SecondHost, command))).Accepted;
        accepted += sensorNodes.Where(node => node.HasExited).Sum(AcceptedBeforeStop);
        var maxima = cluster.Maxima;
        var reconciled = await cluster.Ledgers.EveryAcceptedReadingStandsAsync(maxima, accepted, LabCluster.Formation);

        var windows = maxima.Windows;
        var twice = windows.GroupBy(w => w.WindowStart).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Output!.WriteLine(
            $"reconciled: {reconciled}; windows: {windows.Count} (sent again identical: {maxima.Repeated}); " +
            $"longest silence on 'max' since the fault: {cluster.LongestSilenceSince(faultStarted).TotalSeconds:0.0} s");
        Assert.Empty(twice);
    }

    /// <summary>What a sensor node that stopped said its publisher had seen accepted.</summary>
    private static long AcceptedBeforeStop(ExternalProcess sensors)
    {
        var stopped = Regex.Match(sensors.Lines.Single(l => l.Contains("Publisher stopped:")), @"(\d+) accepted by the router");
        return long.Parse(stopped.Groups[1].Value);
    }
}
