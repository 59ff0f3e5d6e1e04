using System.Text.Json;
using ActorDemo.Amqp;
using ActorDemo.Node.Links;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorDemo.Node.Health;

/// <summary>
/// <c>/alive</c> and <c>/ready</c> for the Kubernetes probes, on the management port (8558), from
/// the health checks registered with Akka.Hosting: 200 with <c>{"status":"ok"}</c>, or 503 with the
/// reasons. The same port serves <c>/metrics</c> and cluster bootstrap's contact point.
/// </summary>
/// <remarks>
/// Kestrel serves them in place of Akka.Management's HTTP server, which does not start with the
/// Ceen.Httpd at hand; docs/design.md ("Two libraries we do without") says how to switch back.
/// </remarks>
public static class HealthEndpoints
{
    public const string Live = "live";

    public const string Ready = "ready";

    /// <summary>
    /// Alive while the actor system runs; ready once the node joined (Akka.Hosting's check) and while it
    /// is an Up member: a node that leaves stops taking traffic before it goes.
    /// </summary>
    public static AkkaConfigurationBuilder WithNodeHealthChecks(this AkkaConfigurationBuilder akka) =>
        akka.WithActorSystemLivenessCheck(tags: [Live])
            .WithAkkaClusterReadinessCheck(tags: [Ready])
            .WithHealthCheck(
                "cluster-member-up",
                (system, _, _) =>
                {
                    var status = Cluster.Get(system).SelfMember.Status;
                    return Task.FromResult(status == MemberStatus.Up
                        ? HealthCheckResult.Healthy()
                        : HealthCheckResult.Unhealthy($"cluster member status is {status}, not Up"));
                },
                tags: [Ready]);

    /// <summary>Ready only while the link <paramref name="link"/> of <paramref name="links"/> is attached; otherwise why not, with its last error.</summary>
    public static AkkaConfigurationBuilder WithLinkReadinessCheck(this AkkaConfigurationBuilder akka, AmqpLinks links, string link, string address) =>
        akka.WithHealthCheck(
            $"{link}-link",
            (_, _, _) => Task.FromResult(links.Find(link) is not { } metrics
                ? HealthCheckResult.Unhealthy($"the AMQP link to '{address}' is not opened yet")
                : metrics.State == LinkStatus.Attached
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"the AMQP link to '{address}' is {metrics.State}{(metrics.LastError is { } error ? $" ({error})" : "")}")),
            tags: [Ready]);

    /// <param name="alsoServed">The management port's other routes (the metrics, the cluster bootstrap), which the node maps itself.</param>
    public static void Map(WebApplication app, int managementPort, IReadOnlyCollection<string> alsoServed)
    {
        if (managementPort != 0)
        {
            HashSet<string?> served = ["/alive", "/ready", .. alsoServed];
            app.Use((context, next) =>
                context.Connection.LocalPort == managementPort && !served.Contains(context.Request.Path.Value)
                    ? Results.NotFound(new { error = "The management port serves /alive, /ready, /metrics and the cluster bootstrap only." }).ExecuteAsync(context)
                    : next(context));
        }

        app.MapHealthChecks("/alive", Probe(Live));
        app.MapHealthChecks("/ready", Probe(Ready));
    }

    private static HealthCheckOptions Probe(string tag) => new()
    {
        Predicate = registration => registration.Tags.Contains(tag),
        ResponseWriter = (context, report) =>
        {
            // The reasons, not the checks' names: what an operator reading `kubectl describe` needs.
            // Degraded still answers 200: the node works, and says what holds it back.
            var problems = report.Entries.Values
                .Where(entry => entry.Status != HealthStatus.Healthy)
                .Select(entry => entry.Description ?? entry.Exception?.Message ?? "unhealthy")
                .ToList();
            var status = report.Status switch
            {
                HealthStatus.Healthy => "ok",
                HealthStatus.Degraded => "degraded",
                _ => "unavailable",
            };
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(JsonSerializer.Serialize(new { status, problems }));
        },
    };
}
