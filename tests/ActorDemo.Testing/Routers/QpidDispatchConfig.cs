using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorDemo.Testing.Routers;

/// <summary>
/// qdrouterd.conf texts for the tests: a plain one with anycast (<c>balanced</c>) addresses, or the
/// ones that deploy/k8s ships, as they are but for their listeners and connectors, moved to loopback.
/// </summary>
public static partial class QpidDispatchConfig
{
    private const string MeshService = "actordemo-router-mesh";

    public static string Standalone(int port, params string[] addresses) => Standalone(port, linkCapacity: null, addresses);

    /// <param name="linkCapacity">Deliveries in flight per link; none: Qpid Dispatch's default (250), as EnMasse's routers have it.</param>
    public static string Standalone(int port, int? linkCapacity, params string[] addresses) =>
        $"router {{\n    mode: standalone\n    id: test-{Guid.NewGuid():N}\n    workerThreads: 2\n}}\n" +
        $"listener {{\n    host: 127.0.0.1\n    port: {port}\n    role: normal\n    authenticatePeer: no\n    saslMechanisms: ANONYMOUS\n" +
        (linkCapacity is { } capacity ? $"    linkCapacity: {capacity}\n" : "") + "}\n" +
        string.Concat(addresses.Select(a => $"address {{\n    prefix: {a}\n    distribution: balanced\n}}\n"));

    /// <summary>The router of <c>deploy/k8s/router</c> as it ships: every interface, AMQP on 5672, HTTP on 8672.</summary>
    public static string RouterOverlayAsShipped() => ConfigMapEntry("router", "router.yaml", "qdrouterd.conf");

    /// <summary>The router of <c>deploy/k8s/router</c>: AMQP on <paramref name="port"/>, HTTP (healthz) on <paramref name="httpPort"/>.</summary>
    public static string RouterOverlay(int port, int httpPort) =>
        OnLoopback(ConfigMapEntry("router", "router.yaml", "qdrouterd.conf"), port, httpPort, interRouterPort: 0);

    /// <summary>
    /// Router <paramref name="ordinal"/> of <c>deploy/k8s/router-mesh</c>, configured by the overlay's
    /// own configure.sh as its pod would be; <paramref name="interRouterPortsBefore"/> are where the
    /// routers before it accept inter-router connections.
    /// </summary>
    public static string RouterMeshMember(int ordinal, int port, int httpPort, int interRouterPort, IReadOnlyList<int> interRouterPortsBefore)
    {
        var directory = Directory.CreateTempSubdirectory("actordemo-router-mesh-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "qdrouterd.conf"), ConfigMapEntry("router-mesh", "router-mesh.yaml", "qdrouterd.conf"));
            var script = Path.Combine(directory, "configure.sh");
            File.WriteAllText(script, ConfigMapEntry("router-mesh", "router-mesh.yaml", "configure.sh"));
            var info = new ProcessStartInfo("/bin/sh", script) { RedirectStandardError = true };
            info.Environment["HOSTNAME"] = $"{MeshService}-{ordinal}";
            info.Environment["MESH_SERVICE"] = MeshService;
            info.Environment["CONFIG_DIR"] = directory;
            info.Environment["OUTPUT_DIR"] = Directory.CreateDirectory(Path.Combine(directory, "out")).FullName;
            using var shell = Process.Start(info)!;
            var errors = shell.StandardError.ReadToEnd();
            shell.WaitForExit();
            if (shell.ExitCode != 0)
            {
                throw new InvalidOperationException($"configure.sh of deploy/k8s/router-mesh failed: {errors}");
            }

            var config = File.ReadAllText(Path.Combine(directory, "out", "qdrouterd.conf"));
            for (var i = 0; i < interRouterPortsBefore.Count; i++)
            {
                config = config.Replace(
                    $"host: {MeshService}-{i}.{MeshService}\n    port: 55672",
                    $"host: 127.0.0.1\n    port: {interRouterPortsBefore[i]}",
                    StringComparison.Ordinal);
            }

            return OnLoopback(config, port, httpPort, interRouterPort);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A ConfigMap entry of an overlay's manifest: the block under <c>KEY: |</c>.</summary>
    private static string ConfigMapEntry(string overlay, string file, string key)
    {
        var manifest = File.ReadAllLines(Path.Combine(BuiltExecutables.RepositoryRoot, "deploy", "k8s", overlay, file));
        var start = Array.FindIndex(manifest, l => l.Trim() == $"{key}: |");
        if (start < 0)
        {
            throw new InvalidOperationException($"deploy/k8s/{overlay}/{file} has no '{key}' entry.");
        }

        var indent = manifest[start + 1].Length - manifest[start + 1].TrimStart().Length;
        var block = manifest.Skip(start + 1)
            .TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length >= indent)
            .Select(l => l.Length >= indent ? l[indent..] : string.Empty);
        return string.Join('\n', block).TrimEnd() + "\n";
    }

    private static string OnLoopback(string config, int port, int httpPort, int interRouterPort) =>
        ListenerPort().Replace(config.Replace("host: 0.0.0.0", "host: 127.0.0.1", StringComparison.Ordinal), m => m.Groups[2].Value switch
        {
            "5672" => $"{m.Groups[1].Value}{port}",
            "8672" => $"{m.Groups[1].Value}{httpPort}",
            "55672" => $"{m.Groups[1].Value}{interRouterPort}",
            _ => m.Value,
        });

    [GeneratedRegex(@"^(\s*port: )(5672|8672|55672)$", RegexOptions.Multiline)]
    private static partial Regex ListenerPort();
}
