using ActorDemo.Sensors;
using ActorDemo.Amqp;
using ActorDemo.Node.Health;
using ActorDemo.Node.Hosting;
using ActorDemo.Node.Observability;
using ActorDemo.Readings;
using ActorDemo.Amqp.Routing;
using ActorDemo.Node.Links;
using Akka;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Aggregator;

/// <summary>
/// The aggregator role: the readings stream of this node (AMQP source, validation, windows) and
/// the aggregator singleton it reports to. Without an AMQP URL the node starts the embedded router.
/// </summary>
public static class AggregatorHosting
{
    public const string RoleName = NodeOptions.AggregatorRole;

    public const string SingletonName = "aggregator";

    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a node that is Up waits to learn the singleton's clock before it takes readings by its own.</summary>
    private static readonly TimeSpan ClockWait = TimeSpan.FromSeconds(10);

    /// <summary>The names its links have in <see cref="AmqpLinks"/> (<c>cmd amqp show</c>, the metrics' <c>link</c> label).</summary>
    public const string ReadingsLink = "readings-in";

    public const string MaximaLink = "maxima-out";

    /// <summary>The reading windows and the singleton as a node feature, for <see cref="NodeHosting"/>.</summary>
    public static readonly NodeFeature Feature = new(RoleName, (services, options) => services.AddReadingWindows(options), (akka, options, services) => akka.WithReadingWindows(options, services));

    /// <summary>The services of the reading windows: the embedded router when no AMQP URL is given, the rejection counts, the window metrics.</summary>
    public static IServiceCollection AddReadingWindows(this IServiceCollection services, ActorDemoOptions options)
    {
        if (options.Amqp.UsesEmbeddedRouter)
        {
            services.AddSingleton(provider => new AnycastRouter(
                options.AggregatorAmqp.EmbeddedRouter(options.Amqp),
                provider.GetRequiredService<ILogger<AnycastRouter>>()));
            services.AddSingleton(provider => new RouterView(provider.GetRequiredService<AnycastRouter>().Statistics));
            services.AddHostedService<EmbeddedRouterService>();
        }

        services.AddSingleton(provider => new RejectedReadings(provider.GetRequiredService<ILogger<RejectedReadings>>(), options.Amqp.Address));
        return services.AddSingleton(provider => new WindowMetrics(provider.GetRequiredService<NodeMeter>(), provider.GetRequiredService<RejectedReadings>()));
    }

    /// <summary>This node's readings stream (source, validation, windows) and the singleton it reports to.</summary>
    public static AkkaConfigurationBuilder WithReadingWindows(this AkkaConfigurationBuilder akka, ActorDemoOptions options, IServiceProvider services)
    {
        var windowMetrics = services.GetRequiredService<WindowMetrics>();
        var links = services.GetRequiredService<AmqpLinks>();
        var amqp = options.Amqp;
        var maxima = options.AggregatorAmqp;
        Func<IMaterializer, ISourceQueueWithComplete<WindowMaximum>>? openMaxima = null;
        MaximaAcceptance? acceptance = null;
        if (maxima.SendsMaxima)
        {
            // Only the singleton sends to 'max', one cluster-wide maximum per window; it opens the link where it runs.
            var endpoint = amqp.Endpoint();
            acceptance = amqp.Delivery == DeliveryMode.AtLeastOnce ? new MaximaAcceptance() : null;
            var settings = new AmqpSinkSettings(endpoint, maxima.MaxAddress)
            {
                Delivery = amqp.Delivery, Durable = amqp.Durable, Capabilities = amqp.CapabilityList(), OnAccepted = acceptance is null ? null : acceptance.OnAccepted,
            };
            var publisher = WindowStream.MaxPublisher(AmqpSink.Create(settings)
                .MapMaterializedValue(sink => links.Register(MaximaLink, maxima.MaxAddress, sink.Metrics)));
            // A window the link cannot take at once waits here; a full buffer drops the oldest, which 'max''s
            // acceptance then never confirms (the singleton says so).
            openMaxima = materializer => Source.Queue<WindowMaximum>(100, OverflowStrategy.DropHead)
                .To(publisher)
                .Run(materializer.WithNamePrefix(MaximaLink));
        }

        return akka.WithLinkReadinessCheck(links, ReadingsLink, amqp.Address)
            .WithCustomSerializer(AggregatorMessageSerializer.Name, [typeof(IAggregatorMessage)], system => new AggregatorMessageSerializer(system))
            // Its inspection asks the sensor nodes too.
            .WithCustomSerializer(SensorMessageSerializer.Name, [typeof(ISensorMessage)], system => new SensorMessageSerializer(system))
            .WithSingleton<AggregatorActor>(
                SingletonName,
                AggregatorActor.Props(Settings(options.Aggregator), openMaxima, metrics: windowMetrics, ledger: services.GetService<ReadingLedger>(), acceptance: acceptance),
                new ClusterSingletonOptions { Role = RoleName },
                createProxyToo: true)
            .WithActors((system, registry) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                var journal = new ShareJournal(
                    options.Aggregator.StateDirectory ?? ShareJournal.DefaultDirectory(options.Node.Port, cluster.SelfAddress.Port ?? 0),
                    $"{amqp.Endpoint()}/{amqp.Address}");
                var clock = new ClusterClock();
                var watermark = new ClusterWatermark();
                var reporter = system.ActorOf(
                    WindowReporter.Props(registry.Get<AggregatorActor>(), cluster.SelfAddress, journal, clock: clock, ledger: services.GetService<ReadingLedger>(), watermark: watermark),
                    WindowReporter.ActorName);
                ReadingsStream? readings = null;

                // Readings are taken only once this node is Up (before, the singleton does not wait for
                // its shares, so the windows it counted would go out without them), and once it knows
                // the singleton's clock, which it cuts windows by (a fraction of a second later).
                cluster.RegisterOnMemberUp(() => clock.Synchronized.WaitAsync(ClockWait).ContinueWith(
                    heard =>
                    {
                        if (heard.IsFaulted)
                        {
                            system.Log.Warning("No incarnation check from the singleton within {0} s of this node being Up: it cuts its windows by its own clock until one comes.", ClockWait.TotalSeconds);
                        }

                        if (CoordinatedShutdown.Get(system).ShutdownReason is null)
                        {
                            Volatile.Write(ref readings, RunWindows(system, options, services.GetService<AnycastRouter>(), links, services.GetRequiredService<RejectedReadings>(), windowMetrics, reporter, clock, watermark));
                        }
                    },
                    TaskScheduler.Default));
                CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "close-readings", async () =>
                {
                    if (Volatile.Read(ref readings) is not { } running)
                    {
                        return Done.Instance;
                    }

                    // Stops taking readings; the window in progress still closes and its readings are settled once acknowledged.
                    running.Switch.Shutdown();
                    var drained = running.Completion.ContinueWith(_ => reporter.Ask<WindowReporterProtocol.Drained>(WindowReporterProtocol.Drain.Instance, DrainTimeout), TaskScheduler.Default).Unwrap();
                    await Task.WhenAny(drained, Task.Delay(DrainTimeout));
                    return Done.Instance;
                });
            });
    }

    /// <summary>This node's readings stream, running: the switch that stops it taking readings, and its end.</summary>
    private sealed record ReadingsStream(UniqueKillSwitch Switch, Task<Done> Completion);

    /// <summary>How the singleton merges: by event time, the watermark trails the newest timestamp by the allowed lateness and follows the clock once readings stop for a window and that lateness.</summary>
    private static AggregatorSettings Settings(AggregatorOptions aggregator) =>
        new(aggregator.History, aggregator.Grace, aggregator.WindowTime == WindowTime.Event ? new EventTimeSettings(aggregator.AllowedLateness, aggregator.Window + aggregator.AllowedLateness) : null);

    /// <param name="router">The embedded router, when this node runs one: its readings are then read in this process, without a connection to it.</param>
    private static ReadingsStream RunWindows(
        ActorSystem system, ActorDemoOptions options, AnycastRouter? router, AmqpLinks links, RejectedReadings rejected, WindowMetrics windowMetrics, IActorRef reporter, ClusterClock clock, ClusterWatermark watermark)
    {
        var eventTime = options.Aggregator.WindowTime == WindowTime.Event;
        var amqp = options.Amqp;
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        var endpoint = amqp.Endpoint($"actordemo-aggregator-{self.Host}-{self.Port}");
        var log = Logging.GetLogger(system, "readings");

        var source = new AmqpSourceSettings(endpoint, amqp.Address) { Credit = options.AggregatorAmqp.Credit, Durable = amqp.Durable, Capabilities = amqp.CapabilityList() };
        var (readingsSwitch, completion) = (router is null ? AmqpSource.Create(source) : router.LocalSource(source))
            .MapMaterializedValue(metrics => links.Register(ReadingsLink, amqp.Address, metrics))
            .ViaMaterialized(KillSwitches.Single<ReceivedMessage>(), Keep.Right)
            .Via(WindowStream.Readings(rejected, clock.Now, windowMetrics, eventTime ? options.Aggregator.FutureLimit : null))
            .Via(WindowStream.Windows(options.Aggregator.Window, options.Aggregator.MaxBatch, clock.Now, eventTime ? () => watermark.Current : null))
            .ToMaterialized(Sink.ForEach<WindowShare>(window => reporter.Tell(window)), Keep.Both)
            // Its actor named for its link, as cmd actor hierarchy shows it.
            .Run(system.Materializer().WithNamePrefix(ReadingsLink));
        completion.ContinueWith(
            done => log.Error(done.Exception!.GetBaseException(), "The readings stream stopped: {0} Fix the AMQP settings and restart this node.", done.Exception.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
        return new ReadingsStream(readingsSwitch, completion);
    }
}

