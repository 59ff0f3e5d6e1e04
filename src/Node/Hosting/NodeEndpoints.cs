using System.Net;
using ActorDemo.Node.Health;
using ActorDemo.Node.Inspection;
using ActorDemo.Node.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// The node's HTTP side on Kestrel: the inspection endpoint (the cmd commands, the dashboard) and the
/// management endpoint (health, metrics, cluster bootstrap's seed nodes).
/// </summary>
internal static class NodeEndpoints
{
    public static void Listen(WebApplicationBuilder builder, ActorDemoOptions options)
    {
        builder.Services.AddHealthChecks();
        // A request that does not bind throws, so that the inspection endpoint answers it with JSON that says why.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        // The node binds only the endpoints below: an ASPNETCORE_HTTP_PORTS or ASPNETCORE_URLS of the
        // environment (the .NET container images set HTTP_PORTS to 8080) is not for it.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
        builder.WebHost.UseKestrel(kestrel =>
        {
            var inspection = IPAddress.Parse(options.Inspection.Hostname);
            kestrel.Listen(inspection, options.Inspection.Port);
            if (!IPAddress.IsLoopback(inspection) && !inspection.Equals(IPAddress.Any) && !inspection.Equals(IPAddress.IPv6Any) && options.Inspection.Port != 0)
            {
                // Bound to a pod's IP: loopback too, which kubectl port-forward and exec reach.
                kestrel.Listen(IPAddress.Loopback, options.Inspection.Port);
            }

            kestrel.Listen(IPAddress.Parse(options.Management.Hostname), options.Management.Port);
        });
    }

    public static void Map(WebApplication host, ActorDemoOptions options, IReadOnlyList<IInspectionModule> inspection)
    {
        HealthEndpoints.Map(host, options.Management.Port, [NodeTelemetry.MetricsPath, ClusterFormation.SeedNodesPath]);
        NodeTelemetry.Map(host, options.Management.Port);
        ClusterFormation.MapSeedNodes(host);
        InspectionEndpoints.Map(host, options.Inspection, inspection);
    }

    /// <summary>Once listening: each inspection module logs where it answers (the port may have been picked).</summary>
    public static void LogStarted(WebApplication host, ActorDemoOptions options, IReadOnlyList<IInspectionModule> inspection)
    {
        var inspectionUrl = host.Urls.Select(url => new Uri(url)).FirstOrDefault(url => url.Port != options.Management.Port || options.Inspection.Port == options.Management.Port);
        if (inspectionUrl is null)
        {
            return;
        }

        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ActorDemo.Inspection");
        foreach (var module in inspection)
        {
            module.Started(log, inspectionUrl);
        }
    }
}
