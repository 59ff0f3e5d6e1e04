using ActorDemo.Testing;
using k8s.Models;

namespace ActorDemo.Deploy.Tests;

/// <summary>
/// Real processes configured as the pods of an overlay are: the ConfigMap and container environment of
/// the rendered Deployment, the pod IP from the downward API replaced by a loopback address of its own
/// (127.0.0.x), on which the process binds what a pod binds on 0.0.0.0, with the same ports.
/// </summary>
public sealed class Pods(string overlay) : IAsyncDisposable
{
    private readonly IReadOnlyList<object> _objects = Manifests.Load(overlay);
    private readonly List<ExternalProcess> _processes = [];
    private int _nextIp = 10;

    public IReadOnlyList<object> Objects => _objects;

    /// <summary>The address of the next pod, for a test that must know it before starting it.</summary>
    public string NextIp() => $"127.0.0.{++_nextIp}";

    public (ExternalProcess Process, string Ip) Start(string deployment, IReadOnlyDictionary<string, string> overrides, string? ip = null)
    {
        ip ??= NextIp();
        var environment = Environment(deployment, ip);
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        var role = deployment == "aggregator" ? "Aggregator" : "Sensors";
        var process = ExternalProcess.Start(BuiltExecutables.Path(role), [], environment);
        _processes.Add(process);
        return (process, ip);
    }

    /// <summary>The pod's environment: ConfigMap, then the container's own variables, resolved as the kubelet would.</summary>
    public Dictionary<string, string> Environment(string deployment, string podIp)
    {
        var container = _objects.Single<V1Deployment>(deployment).Spec.Template.Spec.Containers.Single();
        var environment = new Dictionary<string, string>();
        foreach (var source in container.EnvFrom ?? [])
        {
            foreach (var (name, value) in _objects.Single<V1ConfigMap>(source.ConfigMapRef.Name).Data)
            {
                environment[name] = value;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable switch
            {
                { Value: { } literal } => literal,
                { ValueFrom.FieldRef.FieldPath: "status.podIP" } => podIp,
                { ValueFrom.SecretKeyRef: { } secret } => _objects.OfType<V1Secret>().SingleOrDefault(s => s.Metadata.Name == secret.Name)?.StringData[secret.Key]
                    ?? (secret.Optional == true ? null : throw new InvalidOperationException($"{deployment}: the Secret {secret.Name} of {variable.Name} is not in the overlay")),
                _ => throw new InvalidOperationException($"{deployment}: no way to resolve {variable.Name}"),
            };

            // The kubelet leaves out a variable whose optional Secret does not exist.
            if (value is not null)
            {
                environment[variable.Name] = value;
            }
        }

        // A pod has a host name of its own (the pod's name), which the node names its devices after;
        // the processes here share this machine's, so each gets the name its pod would have.
        environment["ActorDemo__Node__Name"] = $"{deployment}-{podIp.Replace('.', '-')}";

        // A pod binds 0.0.0.0 in its own network namespace; a process here binds its own loopback address.
        foreach (var name in environment.Keys.Where(k => k.EndsWith("__Hostname", StringComparison.Ordinal) && environment[k] == "0.0.0.0").ToList())
        {
            environment[name] = podIp;
        }

        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }
}
