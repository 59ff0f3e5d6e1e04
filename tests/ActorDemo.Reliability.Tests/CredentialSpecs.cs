using System.Net;
using ActorDemo.Testing;
using Xunit;

namespace ActorDemo.Reliability.Tests;

/// <summary>
/// A sensor node whose credentials the router refuses must say so where an operator looks: one
/// error in its log naming the fix, a readiness probe that fails with the reason, and the link's
/// state in <c>cmd amqp show</c>; it must not blame a missing aggregator or fill the log.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class CredentialSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly Nodes _nodes = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Theory]
    [InlineData("a wrong password", "alice:right", "alice:wrong", "refused the credentials")]
    [InlineData("a user where the router takes none", "", "alice:secret", "none of the SASL mechanisms")]
    public async Task A_sensor_node_the_router_refuses_says_why_in_its_log_readiness_and_cmd(string _, string routerUser, string sensorUser, string explanation)
    {
        var aggregator = _nodes.StartAggregator(Credentials(routerUser));
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:"), Wait);
        var (management, inspection) = (Loopback.FreePort(), Loopback.FreePort());

        var sensors = _nodes.StartSensors([
            "--sensors", "5", "--buffer", "10", "--management-port", management.ToString(), "--inspection-port", inspection.ToString(), .. Credentials(sensorUser)]);

        await sensors.WaitForLineAsync(l => l.Contains(" ERR ") && l.Contains("failed for good") && l.Contains(explanation), Wait);
        await sensors.WaitForLineAsync(l => l.Contains("Dropped") && l.Contains("Failed"), Wait);
        using var http = new HttpClient();
        var ready = await http.GetAsync($"http://127.0.0.1:{management}/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("is Failed", await ready.Content.ReadAsStringAsync());
        var (status, lines) = await Nodes.CmdAt($"127.0.0.1:{inspection}", "amqp", "show");
        Assert.Equal(0, status);
        Assert.Contains(lines, l => l.Contains("Failed"));
        Assert.DoesNotContain(sensors.Lines, l => l.Contains("dead letters") || l.Contains("start an aggregator"));
    }

    private static string[] Credentials(string userAndPassword) =>
        userAndPassword.Split(':') is [var user, var password] ? ["--amqp-user", user, "--amqp-password", password] : [];
}
