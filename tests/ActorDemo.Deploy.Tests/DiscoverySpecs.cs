using System.Collections.Concurrent;
using System.Net;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorDemo.Deploy.Tests;

/// <summary>
/// Cluster bootstrap as in the pods, discovery included: the executables list the pods from a
/// Kubernetes API endpoint. No Kubernetes runs here, so the test serves the API's pod list itself
/// (the running processes as pods of the manifests' Deployments); everything else is real.
/// </summary>
public sealed class DiscoverySpecs : IAsyncLifetime
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(90);
    private readonly Pods _pods = new("router");
    private readonly ConcurrentDictionary<string, (string Deployment, string Ip)> _running = new();
    private readonly ConcurrentQueue<string> _selectors = new();
    private readonly EmbeddedRouterFixture _router = new();
    private WebApplication _api = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _api = builder.Build();
        _api.MapGet("/api/v1/namespaces/{ns}/pods", (string ns, string labelSelector) =>
        {
            _selectors.Enqueue($"{ns} {labelSelector}");
            return Results.Json(new { kind = "PodList", apiVersion = "v1", items = _running.Values.Select(PodJson) });
        });
        await _api.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _pods.DisposeAsync();
        await _api.StopAsync();
        await _router.DisposeAsync();
    }

    [Fact]
    public async Task Pods_find_each_other_through_the_kubernetes_api_and_form_one_cluster()
    {
        var overrides = new Dictionary<string, string>
        {
            ["ActorDemo__Discovery__KubernetesApiUrl"] = _api.Urls.Single(),
            ["ActorDemo__Amqp__Url"] = _router.Router.Url,
        };
        var aggregator = Start("aggregator", overrides);
        Start("sensors", overrides);
        Start("sensors", overrides);

        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains("Cluster member up:")) == 3, Formation);
        Assert.Contains(aggregator.Lines, l => l.Contains("Cluster bootstrap over actordemo-kubernetes discovery"));
        // The pods were looked up with the manifests' label selector, in the pod's namespace.
        Assert.Contains("default app.kubernetes.io/part-of=actordemo", _selectors);
        Assert.DoesNotContain(aggregator.Lines, l => l.Contains("Exception", StringComparison.Ordinal) && l.Contains("Method not found"));
    }

    private ExternalProcess Start(string deployment, Dictionary<string, string> overrides)
    {
        var (process, ip) = _pods.Start(deployment, overrides);
        _running[ip] = (deployment, ip);
        return process;
    }

    /// <summary>A running pod of the Deployment, with the container ports the manifest declares.</summary>
    private object PodJson((string Deployment, string Ip) pod)
    {
        var container = _pods.Objects.Single<V1Deployment>(pod.Deployment).Spec.Template.Spec.Containers.Single();
        return new
        {
            metadata = new { name = $"{pod.Deployment}-{pod.Ip.Replace('.', '-')}", labels = _pods.Objects.Single<V1Deployment>(pod.Deployment).Spec.Template.Metadata.Labels },
            spec = new { containers = new[] { new { name = container.Name, ports = container.Ports.Select(p => new { name = p.Name, containerPort = p.ContainerPort }) } } },
            status = new { phase = "Running", podIP = pod.Ip },
        };
    }
}
