using ActorDemo.Node.Downing;
using ActorDemo.Node.Health;
using ActorDemo.Node.Observability;
using ActorDemo.Readings;
using ActorDemo.Node.Links;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// An ActorDemo node as Akka.Hosting extensions: the services every node has, and the actor system
/// <c>actordemo</c> with remoting, cluster (the aggregators' split brain resolver), the
/// cluster formation and the features' actors. The executables, the benchmarks and the in-process
/// wiring specs all build their nodes from these.
/// </summary>
public static class NodeHosting
{
    /// <summary>The whole node: <see cref="AddNodeServices"/>, and the actor system configured by <see cref="WithNode"/>.</summary>
    public static IServiceCollection AddActorDemoNode(this IServiceCollection services, ActorDemoOptions options, IReadOnlyList<NodeFeature> features) =>
        services.AddNodeServices(options, features)
            .AddAkka(NodeOptions.SystemName, (akka, provider) => akka.WithNode(options, features, provider));

    /// <summary>The options, the link registry and the meter every node has, and each feature's services.</summary>
    public static IServiceCollection AddNodeServices(this IServiceCollection services, ActorDemoOptions options, IReadOnlyList<NodeFeature> features)
    {
        services.AddSingleton(options);
        services.AddSingleton<AmqpLinks>();
        services.AddMetrics();
        services.AddSingleton<NodeMeter>();
        if (options.Node.Ledger is { Length: > 0 } ledger)
        {
            // The container disposes it after the actor system stopped, so the last lines are written.
            services.AddSingleton(_ => new ReadingLedger(ledger));
        }

        foreach (var feature in features)
        {
            feature.AddServices(services, options);
        }

        return services;
    }

    /// <summary>Remoting, the cluster with the features' roles, health checks, cluster formation and each feature's actors.</summary>
    public static AkkaConfigurationBuilder WithNode(this AkkaConfigurationBuilder akka, ActorDemoOptions options, IReadOnlyList<NodeFeature> features, IServiceProvider provider)
    {
        akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .WithRemoting(new RemoteOptions
            {
                HostName = options.Node.Hostname,
                Port = options.Node.Port,
                PublicHostName = options.Node.PublicHostname,
            })
            .WithClustering(new ClusterOptions
            {
                Roles = features.Select(feature => feature.Role).ToArray(),
                SeedNodes = ClusterFormation.StaticSeeds(options).ToArray(),
            })
            // Partitions are resolved by the aggregator nodes: see PartitionDecision.
            .AddHocon(AggregatorDowningProvider.Hocon, HoconAddMode.Prepend)
            // Each node writes to another on a connection of its own, never on the one the other opened
            // to it. With the inbound connection reused (Akka's default), a node restarted on its old
            // address within seconds was heard at first, then not at all once the survivor's own
            // connection to it came up (the two swap readers): both sides marked each other
            // unreachable and one downed the other. Every node reaches every other here (pods, hosts).
            .AddHocon("akka.remote.use-passive-connections = off", HoconAddMode.Prepend)
            // A first seed that restarts asks the other seeds before it would form a cluster alone.
            // Their answer can be held up for remoting's 5 s gate on an address that just failed
            // (its previous run), so it waits longer than Akka's 5 s.
            .AddHocon("akka.cluster.seed-node-timeout = 12s", HoconAddMode.Prepend)
            // Akka.NET 1.5.73's singleton proxies warn at start-up, before the node is even Up, that
            // they found no singleton "after 30 seconds"; readiness and the window log say it better.
            .AddHocon("akka.cluster.singleton-proxy.log-singleton-identification-failure = off", HoconAddMode.Prepend)
            .WithActors((system, _) =>
            {
                system.ActorOf(MembershipLog.Props(), "membership-log");
                provider.GetRequiredService<NodeMeter>().ObserveCluster(system);
            })
            .WithNodeHealthChecks();
        ClusterFormation.Configure(akka, options);
        foreach (var feature in features)
        {
            feature.AddActors(akka, options, provider);
        }

        return akka;
    }
}
