using System.Net;
using ActorDemo.Node;
using ActorDemo.Amqp;
using ActorDemo.Node.Health;
using ActorDemo.Node.Hosting;
using ActorDemo.Node.Observability;
using ActorDemo.Readings;
using ActorDemo.Node.Links;
using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Message = Amqp.Message;

namespace ActorDemo.Sensors;

/// <summary>
/// The sensor role, as Akka.Hosting extensions: a fleet of sensor actors and the publisher that
/// streams their readings to the AMQP address. On shutdown the sensors stop first, then the
/// publisher sends what it holds.
/// </summary>
public static class SensorHosting
{
    public const string RoleName = "sensor";

    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The publisher's and the fleet's names under /user, where inspection finds them on every sensor node.</summary>
    public const string PublisherName = "publisher";

    public const string FleetName = "sensors";

    /// <summary>The sensor fleet as a node feature, for <see cref="NodeHosting"/>.</summary>
    public static readonly NodeFeature Feature = new(RoleName, (services, options) => services.AddSensorFleet(options), (akka, options, services) => akka.WithSensorFleet(options, services));

    /// <summary>The name its link has in <see cref="AmqpLinks"/> (<c>cmd amqp show</c>, the metrics' <c>link</c> label).</summary>
    public const string ReadingsLink = "readings-out";

    /// <summary>The services of the sensor fleet: the publisher's buffer and its judgement of stalls, which the metrics and the readiness probe read.</summary>
    public static IServiceCollection AddSensorFleet(this IServiceCollection services, ActorDemoOptions options) =>
        services.AddSingleton(new ReadingBuffer(options.Sensors.Buffer))
            .AddSingleton(new SendStall(options.Amqp.MaxInFlight, options.Amqp.Address, SendStall.DefaultNoReceiverAfter));

    /// <summary>The sensor fleet and its publisher, their serializer, readiness check and shutdown steps.</summary>
    public static AkkaConfigurationBuilder WithSensorFleet(this AkkaConfigurationBuilder akka, ActorDemoOptions options, IServiceProvider services) =>
        akka.WithLinkReadinessCheck(services.GetRequiredService<AmqpLinks>(), ReadingsLink, options.Amqp.Address)
            .WithStallCheck(services.GetRequiredService<SendStall>())
            .WithCustomSerializer(SensorMessageSerializer.Name, [typeof(ISensorMessage)], system => new SensorMessageSerializer(system))
            .WithActors((system, registry) =>
            {
                var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
                var node = options.Node.Name ?? NodeName(self.Port ?? 0);
                var amqp = options.Amqp;
                var endpoint = amqp.Endpoint($"actordemo-sensors-{node}");
                var buffer = services.GetRequiredService<ReadingBuffer>();
                var stall = services.GetRequiredService<SendStall>();
                ReadingBufferMetrics.Observe(services.GetRequiredService<NodeMeter>().Meter, buffer);
                stall.Observe(services.GetRequiredService<NodeMeter>().Meter);
                var links = services.GetRequiredService<AmqpLinks>();
                var ledger = services.GetService<ReadingLedger>();
                var sink = AmqpSink.Create(new AmqpSinkSettings(endpoint, amqp.Address) { MaxInFlight = amqp.MaxInFlight, Delivery = amqp.Delivery, Durable = amqp.Durable, Capabilities = amqp.CapabilityList(), OnAccepted = ledger is null ? null : ledger.Accepted })
                    .MapMaterializedValue(handle =>
                    {
                        links.Register(ReadingsLink, amqp.Address, handle.Metrics);
                        return handle;
                    });
                var stream = RunReadings(buffer, sink, system.Materializer());
                var publisher = system.ActorOf(ReadingPublisher.Props(buffer, stream, stall, amqp.Address), PublisherName);
                var fleetSettings = new FleetSettings(options.Sensors.Prefix, node, options.Sensors.Interval, options.Sensors.SteadyTemperature);
                var fleet = system.ActorOf(SensorFleetActor.Props(fleetSettings, options.Sensors.Count, reading => buffer.Offer(reading)), FleetName);
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

    /// <summary>
    /// Degraded (still ready: the pod serves nothing that readiness would route away) while readings
    /// wait for another cause than a broken link, which the link's own check reports; the reason is the
    /// cause and what lifts it.
    /// </summary>
    private static AkkaConfigurationBuilder WithStallCheck(this AkkaConfigurationBuilder akka, SendStall stall) =>
        akka.WithHealthCheck(
            "readings-stall",
            (_, _, _) => Task.FromResult(stall.Cause is StallCause.None or StallCause.LinkDown
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded($"readings wait ({stall.Cause.Kebab()}): {stall.Explanation}")),
            tags: [HealthEndpoints.Ready]);

    /// <summary>
    /// The readings stream of a sensor node: what the sensors put in the buffer, JSON-encoded, into the
    /// sink (the AMQP sink to <c>temperature</c>). It completes once the buffer is completed and all is settled.
    /// </summary>
    /// <remarks>Its actor is named for its link (<c>readings-out-…</c> in <c>cmd actor hierarchy</c>).</remarks>
    public static AmqpSinkHandle RunReadings(ReadingBuffer buffer, Sink<Message, AmqpSinkHandle> sink, ActorMaterializer materializer) =>
        buffer.Readings
            .Select(ReadingCodec.Encode).Named("encode-reading")
            .ToMaterialized(sink, Keep.Right)
            .Run(materializer.WithNamePrefix(ReadingsLink));

    // The host name alone where the port is the well-known one (a pod), else host and port, so that
    // several sensor processes on one machine never share device ids.
    private static string NodeName(int port)
    {
        var host = Dns.GetHostName().ToLowerInvariant();
        return port == new NodeOptions().Port ? host : $"{host}-{port}";
    }
}
