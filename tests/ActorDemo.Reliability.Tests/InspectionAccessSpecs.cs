using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ActorDemo.Testing;
using Xunit;

namespace ActorDemo.Reliability.Tests;

/// <summary>
/// The inspection routes that change the cluster (leave, down, join, scale), reached as an intruder
/// on the pod network would: at the machine's own non-loopback address, with the real executable.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class InspectionAccessSpecs : IAsyncLifetime
{
    private const string Token = "s3cret-token";
    private readonly Nodes _nodes = new();

    /// <summary>An address of this machine that is not loopback, as a pod's IP is.</summary>
    private static readonly string NetworkAddress = NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString()
        ?? throw new InvalidOperationException("These specs need a network interface with an IPv4 address other than loopback.");

    private string Remote => $"{NetworkAddress}:{_nodes.InspectionPort}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task From_the_network_changing_the_cluster_needs_the_token_and_reading_it_does_not()
    {
        await StartAsync("--inspection-token", Token);

        var withoutToken = await Nodes.CmdAt(Remote, "cluster", "down-unreachable");
        var wrongToken = await Nodes.CmdAt(Remote, "cluster", "down-unreachable", "--token", "guess");
        var withToken = await Nodes.CmdAt(Remote, "cluster", "down-unreachable", "--token", Token);
        var reading = await Nodes.CmdAt(Remote, "cluster", "show");

        Assert.Equal(1, withoutToken.Status);
        Assert.Contains(withoutToken.Lines, l => l.Contains("needs the node's inspection token"));
        Assert.Equal(1, wrongToken.Status);
        Assert.True(withToken.Status == 0, string.Join('\n', withToken.Lines));
        Assert.True(reading.Status == 0, string.Join('\n', reading.Lines));
    }

    [Fact]
    public async Task Without_a_token_changing_the_cluster_is_refused_from_the_network_and_served_on_loopback()
    {
        await StartAsync();

        var remote = await Nodes.CmdAt(Remote, "sensors", "scale", "0");
        var local = await Nodes.CmdAt($"127.0.0.1:{_nodes.InspectionPort}", "cluster", "down-unreachable");

        Assert.Equal(1, remote.Status);
        Assert.Contains(remote.Lines, l => l.Contains("no inspection token") && l.Contains("--inspection-token"));
        Assert.True(local.Status == 0, string.Join('\n', local.Lines));
    }

    private async Task StartAsync(params string[] extra)
    {
        var aggregator = _nodes.StartAggregator(["--inspection-hostname", NetworkAddress, .. extra]);
        await aggregator.WaitForLineAsync(l => l.Contains($"Now listening on: http://{Remote}"), TimeSpan.FromSeconds(60));
    }
}
