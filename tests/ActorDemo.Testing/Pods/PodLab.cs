using System.Diagnostics;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace ActorDemo.Testing.Pods;

/// <summary>
/// An overlay of deploy/k8s run as pods with podman (<c>podman kube play</c>), on a network of the
/// lab's own (a subnet of its own), each pod made from its Deployment's template as a ReplicaSet
/// would make it. What cannot run here is replaced, and only that:
/// <list type="bullet">
/// <item>image names: <c>actordemo/X:tag</c> and <c>.../qdrouterd:tag</c> by the images
/// deploy/images/build-local.sh built as <c>localhost/actordemo/X:tag</c> (same tag);</item>
/// <item>discovery through the Kubernetes API by static seeds: the first aggregator pod's address
/// (its ConfigMap's <c>ActorDemo__Discovery__Method</c> emptied, <c>ActorDemo__Node__Seeds</c> set);</item>
/// <item>Service names, which no cluster DNS resolves here, by <c>hostAliases</c> to the pod behind them;</item>
/// <item><c>status.podIP</c>, which podman 4.3 does not fill, by the address the lab gives the pod;</item>
/// <item>probes, which podman 4.3 turns into <c>curl</c> health checks run by systemd timers (neither
/// is here), by <see cref="ProbeAsync"/>, which the specs call as the kubelet would;</item>
/// <item>container ports, which podman 4.3 publishes on the host (Kubernetes does not), left out;</item>
/// <item>emptyDir volumes, which podman 4.3 makes named volumes shared by every pod naming them
/// alike, named after their pod;</item>
/// <item>ConfigMap names, suffixed with the lab's, since podman 4.3 keeps a configMap volume, named
/// after its ConfigMap, once the pod is gone;</item>
/// <item><c>terminationGracePeriodSeconds</c>, which podman 4.3 does not read, given to
/// <c>podman stop --time</c> by <see cref="StopAsync"/>.</item>
/// </list>
/// Everything the lab made (pods, volumes, network) is removed on dispose, and what a lab of a test
/// process that died left behind is removed when the next lab starts.
/// </summary>
public sealed class PodLab : IAsyncDisposable
{
    private static int _labs;
    private readonly IReadOnlyList<object> _objects;
    private readonly string _id;
    private readonly string _network;
    private readonly string _subnet;
    private readonly string _directory = Directory.CreateTempSubdirectory("actordemo-pods-").FullName;
    private readonly List<Pod> _pods = [];
    private readonly List<string> _volumes = [];
    private readonly Dictionary<string, int> _replicas = [];
    private readonly HashSet<string> _localImages;
    private int _nextHost = 10;

    private PodLab(string overlay, string id, string subnet, HashSet<string> localImages)
    {
        _objects = KubernetesYaml.LoadAllFromString(Kustomize.Render(overlay), strict: true);
        _id = id;
        _network = $"actordemo-{id}";
        _subnet = subnet;
        _localImages = localImages;
        SeedIp = Address(_nextHost++);
    }

    /// <summary>What <c>kubectl kustomize</c> rendered of the overlay.</summary>
    public IReadOnlyList<object> Objects => _objects;

    public IReadOnlyList<Pod> Pods
    {
        get
        {
            lock (_pods)
            {
                return [.. _pods];
            }
        }
    }

    /// <summary>The address the first aggregator pod gets, which every pod names as its seed.</summary>
    public string SeedIp { get; }

    /// <summary>Makes the lab's network. Fails, saying how to get them, when podman or the images are missing.</summary>
    public static async Task<PodLab> StartAsync(string overlay)
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("The pod specs need root (podman's bridge networks): run ./test.sh as root.");
        }

        var images = (await LocalImagesAsync()).ToHashSet();

        await RemoveWhatDeadLabsLeft();
        var id = $"p{Environment.ProcessId}x{Interlocked.Increment(ref _labs)}";
        for (var attempt = 0; ; attempt++)
        {
            // A /24 of 10.200.0.0/13 that no route of this machine uses yet.
            var subnet = $"10.{Random.Shared.Next(200, 208)}.{Random.Shared.Next(0, 256)}";
            if ((await Command.RunAsync("ip", ["route"])).Output.Contains($"{subnet}.", StringComparison.Ordinal))
            {
                continue;
            }

            var (status, _, errors) = await Podman.TryAsync("network", "create", "--subnet", $"{subnet}.0/24", "--label", $"actordemo.test/lab={id}", $"actordemo-{id}");
            if (status == 0)
            {
                return new PodLab(overlay, id, subnet, images);
            }

            if (attempt == 5)
            {
                throw new InvalidOperationException($"podman network create failed: {errors}");
            }
        }
    }

    /// <summary>The images deploy/images/build-local.sh builds; fails, saying how to build them, when one is missing.</summary>
    public static async Task<IReadOnlyList<string>> LocalImagesAsync()
    {
        var script = Path.Combine(BuiltExecutables.RepositoryRoot, "deploy", "images", "build-local.sh");
        var (status, tags, errors) = await Command.RunAsync(script, ["--tags"]);
        if (status != 0)
        {
            throw new InvalidOperationException($"{script} --tags failed ({status}): {errors}");
        }

        var images = tags.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var image in images)
        {
            if ((await Podman.TryAsync("image", "exists", image)).Status != 0)
            {
                throw new InvalidOperationException($"The image {image} is missing: run ./test.sh as root, or deploy/images/build-local.sh (test.sh's build says what went wrong in ~/.cache/actordemo/images/build.log).");
            }
        }

        return images;
    }

    /// <summary>One more pod of the Deployment, as a ReplicaSet scaled up by one makes it; returns once it is created and started.</summary>
    public async Task<Pod> ApplyAsync(string deployment)
    {
        var template = _objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == deployment).Spec.Template;
        var replica = _replicas[deployment] = _replicas.GetValueOrDefault(deployment) + 1;
        var name = $"{deployment}-{_id}-{replica}";
        var ip = deployment == "aggregator" && !Pods.Any(p => p.Deployment == "aggregator") ? SeedIp : Address(_nextHost++);
        var spec = KubernetesYaml.Deserialize<V1PodSpec>(KubernetesYaml.Serialize(template.Spec));
        var configMaps = new HashSet<string>();
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers))
        {
            container.Image = LocalImage(container.Image);
            container.Ports = null;
            container.LivenessProbe = container.ReadinessProbe = container.StartupProbe = null;
            foreach (var variable in container.Env ?? [])
            {
                if (variable.ValueFrom?.FieldRef?.FieldPath == "status.podIP")
                {
                    variable.ValueFrom = null;
                    variable.Value = ip;
                }
            }

            foreach (var source in (container.EnvFrom ?? []).Where(e => e.ConfigMapRef is not null))
            {
                configMaps.Add(source.ConfigMapRef.Name);
                source.ConfigMapRef.Name = LabName(source.ConfigMapRef.Name);
            }
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            if (volume.EmptyDir is not null)
            {
                var named = $"{name}-{volume.Name}";
                foreach (var mount in (spec.InitContainers ?? []).Concat(spec.Containers).SelectMany(c => c.VolumeMounts ?? []).Where(m => m.Name == volume.Name))
                {
                    mount.Name = named;
                }

                volume.Name = named;
                lock (_volumes)
                {
                    _volumes.Add(named);
                }
            }

            if (volume.ConfigMap is not null)
            {
                configMaps.Add(volume.ConfigMap.Name);
                volume.ConfigMap.Name = LabName(volume.ConfigMap.Name);
                lock (_volumes)
                {
                    _volumes.Add(volume.ConfigMap.Name);
                }
            }
        }

        spec.HostAliases = ServiceAliases();
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>(template.Metadata.Labels) { ["actordemo.test/lab"] = _id },
            },
            Spec = spec,
        };
        var documents = configMaps.Select(ConfigMap).Cast<object>().Append(pod).Select(KubernetesYaml.Serialize);
        var file = Path.Combine(_directory, $"{name}.yaml");
        await File.WriteAllTextAsync(file, string.Join("\n---\n", documents));

        var played = Stopwatch.StartNew();
        var manifest = template.Spec;
        var created = new Pod(name, deployment, ip, template.Metadata.Labels.AsReadOnly(), manifest, played);
        lock (_pods)
        {
            _pods.Add(created);
        }

        await Podman.RunAsync("kube", "play", "--network", _network, "--ip", ip, file);
        return created;
    }

    /// <summary>
    /// The probe as the kubelet makes it: an HTTP GET of its path on the pod's address and the port it
    /// names (by name, from the container's ports in the manifest). Returns the status code, or 0 when
    /// nothing answered.
    /// </summary>
    public static async Task<int> ProbeAsync(Pod pod, V1Container container, V1Probe probe)
    {
        var port = probe.HttpGet.Port.Value is var value && int.TryParse(value, out var number)
            ? number
            : container.Ports.Single(p => p.Name == value).ContainerPort;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1) };
        try
        {
            using var response = await http.GetAsync($"http://{pod.Ip}:{port}{probe.HttpGet.Path}");
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>Waits until every container of the pod passes its readiness probe; returns the time since <c>podman kube play</c> began.</summary>
    public static async Task<TimeSpan> WaitReadyAsync(Pod pod, TimeSpan within)
    {
        foreach (var container in pod.Manifest.Containers.Where(c => c.ReadinessProbe is not null))
        {
            await Eventually.Assert(async () => Xunit.Assert.Equal(200, await ProbeAsync(pod, container, container.ReadinessProbe)), within);
        }

        return pod.Played.Elapsed;
    }

    /// <summary>
    /// Stops the pod as the kubelet does: SIGTERM, then SIGKILL after the pod's
    /// <c>terminationGracePeriodSeconds</c> (30 when it names none). Returns how long the stop took
    /// and each container's exit status.
    /// </summary>
    public async Task<(TimeSpan Took, IReadOnlyDictionary<string, int> ExitCodes)> StopAsync(Pod pod)
    {
        var grace = pod.Manifest.TerminationGracePeriodSeconds ?? 30;
        var stopping = Stopwatch.StartNew();
        // The kubelet stops the pod's containers and only then its sandbox; `podman pod stop` would stop
        // the infra container, and with it the pod's network, while the containers still drain.
        await Podman.RunAsync(["stop", "--time", grace.ToString(System.Globalization.CultureInfo.InvariantCulture), .. pod.Manifest.Containers.Select(c => pod.Container(c.Name))]);
        var took = stopping.Elapsed;
        await Podman.RunAsync("pod", "stop", pod.Name);
        var codes = new Dictionary<string, int>();
        foreach (var container in pod.Manifest.Containers)
        {
            codes[container.Name] = int.Parse(await Podman.RunAsync("inspect", "--format", "{{.State.ExitCode}}", pod.Container(container.Name)), System.Globalization.CultureInfo.InvariantCulture);
        }

        return (took, codes);
    }

    /// <summary>What the container wrote to its standard output and error.</summary>
    public static Task<string> LogsAsync(Pod pod, string container) => Podman.RunAsync("logs", pod.Container(container));

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in Pods)
        {
            await RemoveAsync("pod", pod.Name);
        }

        foreach (var volume in _volumes)
        {
            await RemoveAsync("volume", volume);
        }

        await RemoveAsync("network", _network);
        Directory.Delete(_directory, recursive: true);
    }

    private string Address(int host) => $"{_subnet}.{host}";

    private string LabName(string name) => $"{name}-{_id}";

    private string LocalImage(string image)
    {
        var local = $"localhost/actordemo/{image[(image.LastIndexOf('/') + 1)..]}";
        return _localImages.Contains(local)
            ? local
            : throw new InvalidOperationException($"The manifests name {image}; deploy/images/build-local.sh builds no {local} (it builds {string.Join(", ", _localImages)}).");
    }

    /// <summary>Each Service that selects a pod of the lab, by name, to the first such pod.</summary>
    private List<V1HostAlias> ServiceAliases() =>
        _objects.OfType<V1Service>()
            .Where(s => s.Spec.Selector is { Count: > 0 } && s.Spec.ClusterIP != "None")
            .Select(s => (Service: s.Metadata.Name, Pod: Pods.FirstOrDefault(p => s.Spec.Selector.All(l => p.Labels.GetValueOrDefault(l.Key) == l.Value))))
            .Where(s => s.Pod is not null)
            .Select(s => new V1HostAlias { Hostnames = [s.Service], Ip = s.Pod!.Ip })
            .ToList();

    private V1ConfigMap ConfigMap(string name)
    {
        var map = _objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == name);
        var data = new Dictionary<string, string>(map.Data);
        if (data.ContainsKey("ActorDemo__Discovery__Method"))
        {
            data["ActorDemo__Discovery__Method"] = "";
            data["ActorDemo__Node__Seeds"] = $"akka.tcp://actordemo@{SeedIp}:{data.GetValueOrDefault("ActorDemo__Node__Port", "4053")}";
        }

        return new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = LabName(name) }, Data = data };
    }

    /// <summary>Pods, volumes and networks of labs whose test process is gone (killed before it could clean up).</summary>
    private static async Task RemoveWhatDeadLabsLeft()
    {
        static bool Dead(string name) =>
            Regex.Match(name, @"-p(\d+)x\d+") is { Success: true } match && !Directory.Exists($"/proc/{match.Groups[1].Value}");

        // Pods first: a volume or network is removed only once no pod uses it.
        foreach (var kind in new[] { "pod", "volume", "network" })
        {
            foreach (var name in (await Podman.RunAsync(kind, "ls", "--format", "{{.Name}}")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(Dead))
            {
                await RemoveAsync(kind, name);
            }
        }
    }

    /// <summary>Removes a pod (at once, without a stop timeout), volume or network; one already gone is no error.</summary>
    private static Task RemoveAsync(string kind, string name) =>
        Podman.TryAsync([kind, "rm", "--force", .. kind == "pod" ? ["--time", "0"] : Array.Empty<string>(), name]);
}

/// <summary>
/// A pod of the lab: its name (also its host name), its Deployment, its address, its labels and spec
/// as the manifest gives them, and the time since <c>podman kube play</c> began.
/// </summary>
public sealed record Pod(string Name, string Deployment, string Ip, IReadOnlyDictionary<string, string> Labels, V1PodSpec Manifest, Stopwatch Played)
{
    /// <summary>The podman name of one of its containers.</summary>
    public string Container(string name) => $"{Name}-{name}";
}
