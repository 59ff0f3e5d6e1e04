using System.Text.Json;
using ActorDemo.Testing;
using ActorDemo.Testing.Pods;
using Akka.Actor;
using Akka.Streams;
using k8s.Models;
using Xunit;

namespace ActorDemo.Deploy.Tests;

/// <summary>
/// The router overlay as <c>kubectl apply -k deploy/k8s/router</c> makes it, as podman pods of the
/// images deploy/images/build-local.sh builds: the router, and each Deployment at the replicas it
/// names. <see cref="PodLab"/> says what is replaced and why.
/// </summary>
public sealed class RouterOverlayPods : IAsyncLifetime
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly ActorSystem _system = ActorSystem.Create("pod-specs");

    public PodLab Lab { get; private set; } = null!;

    public Pod Router { get; private set; } = null!;

    public WindowMaxima Maxima { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Lab = await PodLab.StartAsync("router");
        Router = await Lab.ApplyAsync("actordemo-router");
        await PodLab.WaitReadyAsync(Router, Wait);
        Maxima = WindowMaxima.Read($"amqp://{Router.Ip}:5672", _system.Materializer());
        foreach (var deployment in new[] { "aggregator", "sensors" })
        {
            for (var replica = 0; replica < Lab.Objects.Single<V1Deployment>(deployment).Spec.Replicas; replica++)
            {
                await Lab.ApplyAsync(deployment);
            }
        }

        foreach (var pod in Lab.Pods)
        {
            await PodLab.WaitReadyAsync(pod, Wait);
        }
    }

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        await Lab.DisposeAsync();
    }
}

public sealed class PodSpecs(RouterOverlayPods pods) : IClassFixture<RouterOverlayPods>
{
    [Fact]
    public async Task Readings_of_the_sensor_pods_reach_windows_on_max()
    {
        var sensors = pods.Lab.Objects.Single<V1Deployment>("sensors");
        var perPod = int.Parse(sensors.Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "ActorDemo__Sensors__Count").Value);
        var window = pods.Lab.Objects.Single<V1Deployment>("aggregator").Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "ActorDemo__Aggregator__Window").Value;
        // Every sensor reads once a second: a full window holds sensors x seconds readings.
        var expected = perPod * sensors.Spec.Replicas!.Value * int.Parse(window.TrimEnd('s'));

        await Eventually.Assert(
            () => Assert.Contains(pods.Maxima.Windows, w => Math.Abs(w.Count - expected) <= expected / 10),
            RouterOverlayPods.Wait);
    }

    [Fact]
    public async Task The_nodes_bind_their_own_endpoints_only_not_the_images_http_port()
    {
        foreach (var pod in pods.Lab.Pods.Where(p => p.Deployment is "aggregator" or "sensors"))
        {
            var log = await PodLab.LogsAsync(pod, "node");

            Assert.Contains("Cluster member up:", log);
            // Kestrel's warning when ASPNETCORE_HTTP_PORTS (8080 in the .NET images) meets endpoints of the node's own.
            Assert.DoesNotContain("Overriding address(es)", log);
        }
    }

    [Fact]
    public async Task Every_pod_answers_the_probes_its_manifest_names()
    {
        var probes = pods.Lab.Pods
            .SelectMany(pod => pod.Manifest.Containers.SelectMany(container =>
                new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe }
                    .Where(probe => probe is not null)
                    .Select(probe => (Pod: pod, Container: container, Probe: probe!))))
            .ToList();
        Assert.Contains(probes, p => p.Pod.Deployment == "aggregator");
        Assert.Contains(probes, p => p.Pod.Deployment == "sensors");
        Assert.Contains(probes, p => p.Pod.Deployment == "actordemo-router");

        foreach (var (pod, container, probe) in probes)
        {
            await Eventually.Assert(
                async () => Assert.True(await PodLab.ProbeAsync(pod, container, probe) == 200, $"{pod.Name}: GET {probe.HttpGet.Path} on {probe.HttpGet.Port}"),
                RouterOverlayPods.Wait);
        }
    }

    [Fact]
    public async Task Every_process_runs_as_the_non_root_user_its_pod_names_or_its_image_gives()
    {
        foreach (var pod in pods.Lab.Pods)
        {
            foreach (var container in pod.Manifest.Containers)
            {
                var users = (await Podman.RunAsync("top", pod.Container(container.Name), "huser"))
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToList();
                var named = container.SecurityContext?.RunAsUser ?? pod.Manifest.SecurityContext?.RunAsUser;

                Assert.NotEmpty(users);
                Assert.All(users, user => Assert.NotEqual(0, user));
                if (named is { } uid)
                {
                    Assert.All(users, user => Assert.Equal(uid, user));
                }
            }
        }
    }

    [Fact]
    public async Task Nothing_in_a_pod_writes_outside_its_emptyDir_volumes()
    {
        foreach (var pod in pods.Lab.Pods)
        {
            var emptyDirs = (pod.Manifest.Volumes ?? []).Where(v => v.EmptyDir is not null).Select(v => v.Name).ToHashSet();
            foreach (var container in pod.Manifest.Containers)
            {
                var name = pod.Container(container.Name);
                var scratch = (container.VolumeMounts ?? []).Where(m => emptyDirs.Contains(m.Name)).Select(m => m.MountPath).ToHashSet();
                Assert.Equal("true", (await Podman.RunAsync("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}", name)).Trim());
                var writable = (await Podman.RunAsync("inspect", "--format", "{{range .Mounts}}{{if .RW}}{{.Destination}}\n{{end}}{{end}}", name))
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.All(writable, path => Assert.Contains(path, scratch));

                // What podman itself puts in every container (name resolution, mount points) is all the
                // container's layer may hold.
                var podmans = new[] { "/etc", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/run", "/run/.containerenv" }
                    .Concat((container.VolumeMounts ?? []).SelectMany(m => Ancestors(m.MountPath)))
                    .ToHashSet();
                using var diff = JsonDocument.Parse(await Podman.RunAsync("diff", "--format", "json", name));
                var changed = diff.RootElement.EnumerateObject().SelectMany(kind => kind.Value.EnumerateArray().Select(path => path.GetString()!));
                Assert.All(changed, path => Assert.True(podmans.Contains(path), $"{name} changed {path}"));
            }
        }
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var p = path; p.Length > 1; p = Path.GetDirectoryName(p)!)
        {
            yield return p;
        }
    }
}
