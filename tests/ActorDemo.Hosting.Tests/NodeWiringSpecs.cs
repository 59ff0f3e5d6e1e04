using System.Net;
using System.Net.Sockets;
using ActorDemo.Aggregator;
using ActorDemo.Sensors;
using ActorDemo.Node.Hosting;
using Akka.Cluster;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorDemo.Hosting.Tests;

/// <summary>
/// The node as the aggregator executable wires it with <c>--with-sensors</c> (the one-command demo),
/// built in this process by the same Akka.Hosting extensions: both features, the embedded router on
/// a free loopback port, a one-node cluster. No Kestrel, no child process: what these specs check is
/// the wiring itself.
/// </summary>
public sealed class NodeWiringSpecs : Akka.Hosting.TestKit.TestKit
{
    private const int Sensors = 3;

    private const double SteadyTemperature = 20.0;

    private static readonly IReadOnlyList<NodeFeature> Features = [AggregatorHosting.Feature, SensorHosting.Feature];

    private readonly ActorDemoOptions _options = Options();

    public NodeWiringSpecs(ITestOutputHelper output)
        : base(nameof(NodeWiringSpecs), output)
    {
    }

    protected override void ConfigureServices(HostBuilderContext context, IServiceCollection services)
    {
        services.AddNodeServices(_options, Features);
        services.AddHealthChecks();
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithNode(_options, Features, provider)
            // No seeds: the node forms a cluster of its own.
            .AddStartup((system, _) => Cluster.Get(system).Join(Cluster.Get(system).SelfAddress));

    [Fact]
    public async Task The_sensor_fleet_its_publisher_and_the_aggregator_are_in_the_actor_registry()
    {
        var fleet = await ActorRegistry.GetAsync<SensorFleetActor>(Cancellation);
        var publisher = await ActorRegistry.GetAsync<ReadingPublisher>(Cancellation);
        var aggregator = await ActorRegistry.GetAsync<AggregatorActor>(Cancellation);

        Assert.Equal($"/user/{SensorHosting.FleetName}", fleet.Path.ToStringWithoutAddress());
        Assert.Equal($"/user/{SensorHosting.PublisherName}", publisher.Path.ToStringWithoutAddress());
        Assert.StartsWith($"/user/{AggregatorHosting.SingletonName}", aggregator.Path.ToStringWithoutAddress());
    }

    [Fact]
    public async Task Readings_of_the_fleet_reach_a_recorded_window_through_the_embedded_router()
    {
        var aggregator = await ActorRegistry.GetAsync<AggregatorActor>(Cancellation);

        aggregator.Tell(new AggregatorProtocol.SubscribeWindows(TestActor));

        // Sensor i reads 20.0 + i/10 °C; the first windows may hold only some sensors' readings.
        FishForMessage<AggregatorProtocol.WindowRecorded>(
            recorded => recorded.Window.Window.Max is { } max && Math.Abs(max - (SteadyTemperature + ((Sensors - 1) / 10.0))) < 1e-9,
            TimeSpan.FromSeconds(30),
            cancellationToken: Cancellation);
    }

    [Fact]
    public async Task Both_links_are_reported_ready_once_attached_to_the_embedded_router()
    {
        var health = Host.Services.GetRequiredService<HealthCheckService>();

        await AwaitAssertAsync(
            async () =>
            {
                var report = await health.CheckHealthAsync(Cancellation);
                Assert.Equal(HealthStatus.Healthy, report.Entries[$"{SensorHosting.ReadingsLink}-link"].Status);
                Assert.Equal(HealthStatus.Healthy, report.Entries[$"{AggregatorHosting.ReadingsLink}-link"].Status);
            },
            TimeSpan.FromSeconds(20),
            cancellationToken: Cancellation);
    }

    [Fact]
    public async Task Each_links_stream_runs_under_its_links_name()
    {
        await AwaitAssertAsync(
            async () =>
            {
                var streams = await Identify("/user/StreamSupervisor-*/*");
                var singletons = await Identify("/user/aggregator/aggregator/StreamSupervisor-*/*");
                Assert.Contains(streams, name => name.StartsWith($"{SensorHosting.ReadingsLink}-", StringComparison.Ordinal));
                Assert.Contains(streams, name => name.StartsWith($"{AggregatorHosting.ReadingsLink}-", StringComparison.Ordinal));
                Assert.Contains(singletons, name => name.StartsWith($"{AggregatorHosting.MaximaLink}-", StringComparison.Ordinal));
            },
            TimeSpan.FromSeconds(20),
            cancellationToken: Cancellation);
    }

    [Fact]
    public void Messages_that_cross_nodes_are_bound_to_the_features_serializers()
    {
        var serialization = Sys.Serialization;

        Assert.IsType<SensorMessageSerializer>(serialization.FindSerializerForType(typeof(SensorFleetProtocol.GetFleet)));
        Assert.IsType<AggregatorMessageSerializer>(serialization.FindSerializerForType(typeof(AggregatorProtocol.PartialWindow)));
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>The names of the actors a wildcard path selects.</summary>
    private async Task<IReadOnlyList<string>> Identify(string path)
    {
        var probe = CreateTestProbe();
        Sys.ActorSelection(path).Tell(new Identify(path), probe);
        var names = new List<string>();
        // Every match answers; once none has for a moment, all that will have.
        while (await probe.ReceiveOneAsync(TimeSpan.FromMilliseconds(500), Cancellation) is ActorIdentity { Subject: { } actor })
        {
            names.Add(actor.Path.Name);
        }

        return names;
    }

    private static ActorDemoOptions Options()
    {
        var options = new ActorDemoOptions();
        options.Node.Port = 0;
        options.Node.Seeds = "";
        options.Node.Name = "wiring";
        options.Amqp.RouterPort = FreePort();
        options.Sensors.Count = Sensors;
        options.Sensors.Interval = TimeSpan.FromMilliseconds(200);
        options.Sensors.SteadyTemperature = SteadyTemperature;
        options.Aggregator.Window = TimeSpan.FromSeconds(1);
        options.Aggregator.Grace = TimeSpan.FromMilliseconds(500);
        return options;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
