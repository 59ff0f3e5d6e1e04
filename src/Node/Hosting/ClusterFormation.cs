using Akka.Actor;
using Akka.Cluster;
using Akka.Discovery.Config.Hosting;
using ActorDemo.Node.Discovery;
using Akka.Event;
using Akka.Hosting;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Akka.Management.Dsl;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// How a node joins: the static seeds, or Akka.Management cluster bootstrap over a discovery method
/// (the Kubernetes API in pods, a list of contact points for checks without Kubernetes).
/// </summary>
/// <remarks>
/// Bootstrap probes every contact point's <c>/bootstrap/seed-nodes</c> on the management port. That
/// route normally lives on Akka.Management's HTTP server, which cannot start here (Akka.Http.Shim 1.5.73
/// needs Ceen.Httpd 0.9.9, the mirror has 0.9.10), so Kestrel serves it, with the library's own JSON types,
/// and the bootstrap is told its contact point the way the library documents for manually bound routes.
/// </remarks>
public static class ClusterFormation
{
    public const string SeedNodesPath = "/bootstrap/seed-nodes";

    public static IReadOnlyList<string> StaticSeeds(ActorDemoOptions options) =>
        options.Discovery.Method is null ? options.Node.SeedList : [];

    public static void Configure(AkkaConfigurationBuilder akka, ActorDemoOptions options)
    {
        var discovery = options.Discovery;
        if (discovery.Method is null)
        {
            return;
        }

        var method = discovery.Method == DiscoveryMethod.Kubernetes ? "actordemo-kubernetes" : "config";
        if (discovery.Method == DiscoveryMethod.Kubernetes)
        {
            akka.AddHocon(KubernetesPodDiscovery.Hocon(discovery.LabelSelector, discovery.KubernetesApiUrl), HoconAddMode.Prepend);
        }
        else
        {
            akka.WithConfigDiscovery(config => config.Services = [new Service { Name = discovery.ServiceName, Endpoints = [.. discovery.ContactPointList] }]);
        }

        akka.WithClusterBootstrap(
                bootstrap =>
                {
                    var contactPoints = bootstrap.ContactPointDiscovery;
                    contactPoints.ServiceName = discovery.ServiceName;
                    contactPoints.DiscoveryMethod = method;
                    // The container port named "management" in the pods; the listed ports with config.
                    contactPoints.PortName = discovery.Method == DiscoveryMethod.Kubernetes ? "management" : null;
                    contactPoints.RequiredContactPointsNr = discovery.RequiredContactPoints;
                    contactPoints.StableMargin = TimeSpan.FromSeconds(3);
                    contactPoints.Interval = TimeSpan.FromSeconds(1);
                    bootstrap.ContactPoint.FallbackPort = options.Management.Port;
                    // Pods share one management port; processes on one machine each have their own.
                    bootstrap.ContactPoint.FilterOnFallbackPort = discovery.Method == DiscoveryMethod.Kubernetes;
                },
                autoStart: false)
            .AddStartup(async (system, _) =>
            {
                var self = new Uri($"http://{options.Node.PublicHostname ?? options.Management.Hostname}:{options.Management.Port}/");
                var bootstrap = ClusterBootstrap.Get(system);
                // Hands the bootstrap its own contact point; the routes it returns are Ceen's and go unused.
                bootstrap.Routes(ManagementRouteProviderSettings.Create(self, true));
                system.Log.Info("Cluster bootstrap over {0} discovery of '{1}', this contact point {2}", method, discovery.ServiceName, self);
                await bootstrap.Start();
            });
    }

    /// <summary>The contact-point route of cluster bootstrap, in the JSON the probing nodes read.</summary>
    public static void MapSeedNodes(WebApplication app) =>
        app.MapGet(SeedNodesPath, (ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            if (cluster.SelfMember.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving or MemberStatus.Removed
                && cluster.State.Members.Count > 0)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            var state = cluster.State;
            var members = state.Members
                .Where(m => !state.Unreachable.Contains(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
                .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
                .ToList();
            var seeds = new HttpBootstrapJsonProtocol.SeedNodes(cluster.SelfAddress, [.. members]);
            return Results.Content(JsonConvert.SerializeObject(seeds), "application/json");
        });
}
