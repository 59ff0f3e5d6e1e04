using System.Text.Json;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Xunit;

namespace ActorDemo.Deploy.Tests;

/// <summary>
/// <c>kubectl scale deployment/sensors --replicas=N</c> reproduced with processes configured as the pods
/// (the router overlay's environment), bootstrap replaced by static seeds and the router by the embedded
/// one: sensors 1 -> 3 -> 1, scaling down with SIGTERM as the kubelet does, while windows keep coming.
/// </summary>
public sealed class ScalingSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly Pods _pods = new("router");
    private readonly EmbeddedRouterFixture _router = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _pods.DisposeAsync();
        await _router.DisposeAsync();
    }

    [Fact]
    public async Task Sensors_scale_from_one_to_three_and_back_while_the_aggregator_keeps_producing_windows()
    {
        var overrides = new Dictionary<string, string>
        {
            ["ActorDemo__Discovery__Method"] = "",
            ["ActorDemo__Amqp__Url"] = _router.Router.Url,
        };
        // The aggregator is the seed, as the first pod of a bootstrap forms the cluster.
        var aggregatorIp = _pods.NextIp();
        overrides["ActorDemo__Node__Seeds"] = $"akka.tcp://actordemo@{aggregatorIp}:4053";
        var (aggregator, _) = _pods.Start("aggregator", overrides, aggregatorIp);

        _pods.Start("sensors", overrides);
        await WaitForMembers(aggregator, 2);
        // 10 sensors a pod at 1 Hz, 5-second windows: about 50 readings a window.
        await Eventually.Assert(async () => Assert.InRange((await LatestWindow(aggregatorIp)).Count, 40, 60), Wait);

        var added = new[] { _pods.Start("sensors", overrides).Process, _pods.Start("sensors", overrides).Process };
        await WaitForMembers(aggregator, 4);
        await Eventually.Assert(async () => Assert.InRange((await LatestWindow(aggregatorIp)).Count, 130, 170), Wait);

        foreach (var sensor in added)
        {
            sensor.Terminate();
        }

        foreach (var sensor in added)
        {
            var status = await sensor.WaitForExitAsync(Wait);
            Assert.True(status == 0, $"exit status {status}; its output:\n{string.Join('\n', sensor.Lines)}");
        }

        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains("Cluster member removed:") && l.Contains("(was Exiting)")) == 2, Wait);
        Assert.DoesNotContain(aggregator.Lines, l => l.Contains("Cluster member unreachable:"));
        var total = (await LatestWindow(aggregatorIp)).Total;
        await Eventually.Assert(async () =>
        {
            var latest = await LatestWindow(aggregatorIp);
            Assert.True(latest.Total > total + 1, "the windows go on");
            Assert.InRange(latest.Count, 40, 60);
        }, Wait);
    }

    private static Task WaitForMembers(ExternalProcess aggregator, int count) =>
        aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains("Cluster member up:")) - aggregator.Lines.Count(l => l.Contains("Cluster member removed:")) == count, Wait);

    private static async Task<(int Count, long Total)> LatestWindow(string aggregatorIp)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{aggregatorIp}:9110/") };
        using var json = JsonDocument.Parse(await http.GetStringAsync("windows?n=1"));
        var windows = json.RootElement.GetProperty("windows");
        return (windows.GetArrayLength() == 0 ? 0 : windows[0].GetProperty("count").GetInt32(), json.RootElement.GetProperty("total").GetInt64());
    }
}
