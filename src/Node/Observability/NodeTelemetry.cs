using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ActorDemo.Node.Observability;

/// <summary>
/// Exports the <see cref="NodeMeter"/> and .NET's runtime metrics with OpenTelemetry: for Prometheus
/// at <c>/metrics</c> on the management port, and over OTLP when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a collector.
/// </summary>
public static class NodeTelemetry
{
    public const string MetricsPath = "/metrics";

    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void Add(IServiceCollection services, string serviceName)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NodeMeter.Name).AddRuntimeInstrumentation().AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable)))
                {
                    metrics.AddOtlpExporter();
                }
            });
    }

    /// <summary>Serves the scrape on the management port only: the inspection port is for people and <c>cmd</c>.</summary>
    public static void Map(WebApplication app, int managementPort) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == MetricsPath && (managementPort == 0 || context.Connection.LocalPort == managementPort));
}
