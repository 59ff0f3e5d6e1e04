using System.Text.RegularExpressions;
using ActorDemo.Testing;
using ActorDemo.Testing.Pods;
using Akka.Actor;
using Akka.Streams;
using Xunit;

namespace ActorDemo.Deploy.Tests;

/// <summary>
/// <c>kubectl scale deployment/sensors</c> from none to three and back to none, as podman pods of the
/// router overlay (<see cref="PodLab"/> says what is replaced), beside the router and one aggregator
/// (the overlay's aggregators scaled to one): pods join the cluster, and each leaves it on the SIGTERM
/// the kubelet sends, within its grace period, every reading the router accepted counted on <c>max</c>.
/// </summary>
public sealed partial class PodScalingSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly ActorSystem _system = ActorSystem.Create("pod-scaling-specs");
    private PodLab _lab = null!;

    public async Task InitializeAsync() => _lab = await PodLab.StartAsync("router");

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        await _lab.DisposeAsync();
    }

    [Fact]
    public async Task Three_sensor_pods_join_and_leave_on_SIGTERM_within_their_grace_period_with_every_accepted_reading_counted()
    {
        var router = await _lab.ApplyAsync("actordemo-router");
        await PodLab.WaitReadyAsync(router, Wait);
        var maxima = WindowMaxima.Read($"amqp://{router.Ip}:5672", _system.Materializer());
        var aggregator = await _lab.ApplyAsync("aggregator");
        await PodLab.WaitReadyAsync(aggregator, Wait);

        var sensors = new List<Pod>();
        for (var replica = 0; replica < 3; replica++)
        {
            sensors.Add(await _lab.ApplyAsync("sensors"));
        }

        await Eventually.Assert(async () => Assert.Equal(4, Members(await PodLab.LogsAsync(aggregator, "node"))), Wait);

        long accepted = 0;
        foreach (var sensor in sensors)
        {
            var grace = TimeSpan.FromSeconds(sensor.Manifest.TerminationGracePeriodSeconds!.Value);
            var (took, exitCodes) = await _lab.StopAsync(sensor);

            Assert.True(took < grace, $"{sensor.Name} took {took} to stop, its grace period is {grace}");
            Assert.Equal(0, exitCodes["node"]);
            var log = await PodLab.LogsAsync(sensor, "node");
            // Leaving, it sees the aggregator removed with everyone else: that is not the aggregator leaving.
            Assert.DoesNotContain("The last aggregator node left", log);
            var stopped = PublisherStopped().Match(log);
            Assert.True(stopped.Success, $"{sensor.Name} logged no 'Publisher stopped' line");
            Assert.Equal("0", stopped.Groups["dropped"].Value);
            Assert.Equal("0", stopped.Groups["rejected"].Value);
            accepted += long.Parse(stopped.Groups["accepted"].Value);
        }

        await Eventually.Assert(async () => Assert.Equal(1, Members(await PodLab.LogsAsync(aggregator, "node"))), Wait);
        // Removed once they had left, not downed; a leaving node may still be marked unreachable in its
        // last instant on a loaded machine, which changes nothing of that.
        var aggregatorLog = await PodLab.LogsAsync(aggregator, "node");
        Assert.Equal(3, aggregatorLog.Split('\n').Count(l => l.Contains("Cluster member removed:") && l.Contains("(was Exiting)")));
        Assert.True(accepted > 0);
        await Eventually.Assert(() => Assert.Equal(accepted, maxima.Counted), Wait);
    }

    /// <summary>Members the aggregator saw come up and not yet removed.</summary>
    private static int Members(string log)
    {
        var lines = log.Split('\n');
        return lines.Count(l => l.Contains("Cluster member up:")) - lines.Count(l => l.Contains("Cluster member removed:"));
    }

    [GeneratedRegex(@"Publisher stopped: \d+ readings offered, (?<accepted>\d+) accepted by the router, (?<dropped>\d+) dropped, (?<rejected>\d+) rejected")]
    private static partial Regex PublisherStopped();
}
