using System.Diagnostics.Metrics;
using System.Net;
using ActorDemo.Shared.Amqp;
using ActorDemo.Shared.Health;
using ActorDemo.Shared.Hosting;
using ActorDemo.Shared.Inspection;
using ActorDemo.Shared.Observability;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ActorDemo.Sensors;

/// <summary>
/// The sensor role: a fleet of sensor actors and the publisher that streams their readings to the
/// AMQP address. On shutdown the sensors stop first, then the publisher sends what it holds.
/// </summary>
public sealed class SensorRole : INodeRole
{
    public const string RoleName = "sensor";

    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The publisher's and the fleet's names under /user, where inspection finds them on every sensor node.</summary>
    public const string PublisherName = "publisher";

    public const string FleetName = "sensors";

    public string Name => RoleName;

    public void ConfigureServices(IServiceCollection services, ActorDemoOptions options) =>
        services.AddSingleton(new SensorCounters(new AmqpLinkMetrics(), new ReadingBuffer(options.Sensors.Buffer)));

    public void ConfigureAkka(AkkaConfigurationBuilder akka, ActorDemoOptions options, IServiceProvider services) =>
        akka.WithLinkReadinessCheck("readings-out-link", options.Amqp.Address, services.GetRequiredService<SensorCounters>().Link)
            .WithCustomSerializer(SensorMessageSerializer.Name, [typeof(ISensorMessage)], system => new SensorMessageSerializer(system))
            .WithActors((system, registry) =>
            {
                var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
                var node = options.Node.Name ?? NodeName(self.Port ?? 0);
                var amqp = options.Amqp;
                var endpoint = amqp.Endpoint($"actordemo-sensors-{node}");
                var counters = services.GetRequiredService<SensorCounters>();
                counters.Observe(services.GetRequiredService<NodeMeter>().Meter);
                var link = counters.Link;
                services.GetRequiredService<AmqpLinks>().Add("readings-out", amqp.Address, link);
                var sink = AmqpSink.Create(new AmqpSinkSettings(endpoint, amqp.Address) { MaxInFlight = amqp.MaxInFlight, Delivery = amqp.Delivery }, link);
                var publisher = system.ActorOf(ReadingPublisher.Props(sink, counters.Buffer, amqp.Address, link), PublisherName);
                var fleetSettings = new FleetSettings(options.Sensors.Prefix, node, options.Sensors.Interval, options.Sensors.SteadyTemperature);
                var fleet = system.ActorOf(SensorFleetActor.Props(fleetSettings, options.Sensors.Count, publisher), FleetName);
                registry.Register<ReadingPublisher>(publisher);
                registry.Register<SensorFleetActor>(fleet);
                if (!Akka.Cluster.Cluster.Get(system).SelfRoles.Contains(NodeOptions.AggregatorRole))
                {
                    system.ActorOf(AggregatorWatch.Props(options.Sensors.RejoinAfter), "aggregator-watch");
                }

                var shutdown = CoordinatedShutdown.Get(system);
                shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-sensors", async () =>
                {
                    await fleet.Ask<SensorFleetProtocol.Resized>(new SensorFleetProtocol.Resize(0), DrainTimeout);
                    return Akka.Done.Instance;
                });
                shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-publisher", async () =>
                {
                    try
                    {
                        await publisher.Ask<Akka.Done>(ReadingPublisherProtocol.Drain.Instance, DrainTimeout);
                    }
                    catch (AskTimeoutException)
                    {
                        await publisher.Ask<ReadingPublisherProtocol.Abandoned>(ReadingPublisherProtocol.Abandon.Instance, DrainTimeout);
                    }

                    return Akka.Done.Instance;
                });
            });

    // The host name alone where the port is the well-known one (a pod), else host and port, so that
    // several sensor processes on one machine never share device ids.
    private static string NodeName(int port)
    {
        var host = Dns.GetHostName().ToLowerInvariant();
        return port == new NodeOptions().Port ? host : $"{host}-{port}";
    }
}

/// <summary>The counters of the sensors' AMQP link and of the publisher's buffer, for inspection and metrics.</summary>
public sealed record SensorCounters(AmqpLinkMetrics Link, ReadingBuffer Buffer)
{
    /// <summary>Readings offered and dropped, by why, as instruments on the node's meter.</summary>
    public void Observe(Meter meter)
    {
        meter.CreateObservableCounter("actordemo.readings.offered", () => Buffer.Offered, "{reading}", "Readings this node's sensors offered for publishing");
        meter.CreateObservableCounter(
            "actordemo.readings.dropped",
            () => new[]
            {
                new Measurement<long>(Buffer.DroppedFull, new KeyValuePair<string, object?>("reason", "buffer-full")),
                new Measurement<long>(Buffer.DroppedLate, new KeyValuePair<string, object?>("reason", "stopping")),
            },
            "{reading}",
            "Readings dropped before they were sent: the oldest when the buffer was full, or offered while the node stopped");
    }
}
