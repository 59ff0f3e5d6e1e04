using System.Net;
using ActorDemo.Testing;
using Xunit;

namespace ActorDemo.Reliability.Tests;

/// <summary>
/// Sensor nodes reaching an aggregator's embedded router over TLS (<c>--router-certificate</c>)
/// signed by a private CA, as EnMasse's endpoints are: with <c>--amqp-ca-file</c> the readings flow;
/// without it the node says why in its log, readiness and <c>cmd</c>, and keeps retrying.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class TlsTrustSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly Nodes _nodes = new();
    private readonly TestCertificates _certificates = new();

    private string RouterUrl => $"amqps://localhost:{_nodes.RouterPort}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task A_sensor_node_that_trusts_the_routers_CA_sends_over_TLS_and_its_readings_are_counted()
    {
        var aggregator = await StartAggregatorAsync();

        var sensors = _nodes.StartSensorsOn(RouterUrl, "--sensors", "2", "--amqp-ca-file", _certificates.CaFile);

        await Nodes.AttachedAsync(sensors);
        await aggregator.WaitForLineAsync(l => l.Contains(" max ") && l.Contains("from 1 node") && !l.Contains(" 0 readings"), Wait);
    }

    [Fact]
    public async Task A_sensor_node_that_cannot_trust_the_routers_certificate_says_why_in_its_log_readiness_and_cmd()
    {
        await StartAggregatorAsync();
        var (management, inspection) = (Loopback.FreePort(), Loopback.FreePort());

        var sensors = _nodes.StartSensorsOn(RouterUrl, "--sensors", "2", "--management-port", management.ToString(), "--inspection-port", inspection.ToString());

        await sensors.WaitForLineAsync(l => l.Contains(" WRN ") && l.Contains("not signed by a CA this machine trusts") && l.Contains("--amqp-ca-file"), Wait);
        using var http = new HttpClient();
        await Eventually.Assert(async () =>
        {
            var ready = await http.GetAsync($"http://127.0.0.1:{management}/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("--amqp-ca-file", await ready.Content.ReadAsStringAsync());
        }, Wait);
        var (status, lines) = await Nodes.CmdAt($"127.0.0.1:{inspection}", "amqp", "show");
        Assert.Equal(0, status);
        Assert.Contains(lines, l => l.Contains("Reconnecting"));
    }

    private async Task<ExternalProcess> StartAggregatorAsync()
    {
        var aggregator = _nodes.StartAggregator("--router-certificate", _certificates.CertificateFile, "--router-key", _certificates.KeyFile);
        await Nodes.AttachedAsync(aggregator);
        return aggregator;
    }
}
