using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorDemo.Shared.Health;

/// <summary>
/// <c>/alive</c> and <c>/ready</c> for the Kubernetes probes, on the management port (8558): 200 with
/// <c>{"status":"ok"}</c>, or 503 with the reasons. That port serves nothing else but cluster bootstrap's contact point.
/// </summary>
/// <remarks>
/// Akka.Management's own HTTP server cannot start here: Akka.Http.Shim 1.5.73 needs Ceen.Httpd 0.9.9,
/// and the package mirror has only 0.9.10, which lacks a method it calls. Kestrel serves the probes instead.
/// </remarks>
public static class HealthEndpoints
{
    private static readonly HashSet<string?> ManagementPaths = ["/alive", "/ready", Hosting.ClusterFormation.SeedNodesPath];

    public static void Map(WebApplication app, int managementPort)
    {
        if (managementPort != 0)
        {
            app.Use((context, next) =>
                context.Connection.LocalPort == managementPort && !ManagementPaths.Contains(context.Request.Path.Value)
                    ? Results.NotFound(new { error = "The management port serves /alive, /ready and the cluster bootstrap only." }).ExecuteAsync(context)
                    : next(context));
        }

        app.MapGet("/alive", (ActorSystem system) => Probe(NodeHealth.Get(system).IsAlive ? [] : ["the actor system has terminated"]));
        app.MapGet("/ready", (ActorSystem system) => Probe(NodeHealth.Get(system).NotReadyBecause()));
    }

    private static IResult Probe(IReadOnlyList<string> problems) =>
        problems.Count == 0
            ? Results.Ok(new { status = "ok", problems })
            : Results.Json(new { status = "unavailable", problems }, statusCode: StatusCodes.Status503ServiceUnavailable);
}
