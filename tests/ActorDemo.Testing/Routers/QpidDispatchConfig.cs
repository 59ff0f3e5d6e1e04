using System.Text;

namespace ActorDemo.Testing.Routers;

/// <summary>qdrouterd.conf texts for the tests: every listener on loopback, every address anycast (<c>balanced</c>).</summary>
public static class QpidDispatchConfig
{
    public static string Standalone(int port, params string[] addresses) =>
        Router("standalone", $"test-{Guid.NewGuid():N}") + Listener(port) + Addresses(addresses);

    /// <summary>
    /// One router of a network: <paramref name="interRouterPort"/> accepts the other routers, and
    /// <paramref name="connectTo"/> names the inter-router port of one to join.
    /// </summary>
    public static string Interior(string id, int port, int? interRouterPort, int? connectTo, params string[] addresses)
    {
        var config = new StringBuilder(Router("interior", id)).Append(Listener(port));
        if (interRouterPort is { } listen)
        {
            config.Append($"listener {{\n    host: 127.0.0.1\n    port: {listen}\n    role: inter-router\n    authenticatePeer: no\n}}\n");
        }

        if (connectTo is { } peer)
        {
            config.Append($"connector {{\n    host: 127.0.0.1\n    port: {peer}\n    role: inter-router\n}}\n");
        }

        return config.Append(Addresses(addresses)).ToString();
    }

    /// <summary>
    /// The qdrouterd.conf that <c>deploy/k8s/router</c> ships, as it is but for its listeners: on
    /// loopback, AMQP on <paramref name="port"/> and HTTP on <paramref name="httpPort"/>.
    /// </summary>
    public static string FromManifest(int port, int httpPort)
    {
        var manifest = File.ReadAllLines(Path.Combine(Executables.RepositoryRoot, "deploy", "k8s", "router", "router.yaml"));
        var start = Array.FindIndex(manifest, l => l.TrimEnd().EndsWith("qdrouterd.conf: |", StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException("deploy/k8s/router/router.yaml has no qdrouterd.conf entry.");
        }

        var indent = manifest[start + 1].Length - manifest[start + 1].TrimStart().Length;
        var config = manifest.Skip(start + 1)
            .TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length >= indent)
            .Select(l => l.Length >= indent ? l[indent..] : l.Trim());
        return string.Join('\n', config)
            .Replace("host: 0.0.0.0", "host: 127.0.0.1", StringComparison.Ordinal)
            .Replace("port: 5672", $"port: {port}", StringComparison.Ordinal)
            .Replace("port: 8672", $"port: {httpPort}", StringComparison.Ordinal);
    }

    private static string Router(string mode, string id) =>
        $"router {{\n    mode: {mode}\n    id: {id}\n    workerThreads: 2\n}}\n";

    private static string Listener(int port) =>
        $"listener {{\n    host: 127.0.0.1\n    port: {port}\n    role: normal\n    authenticatePeer: no\n    saslMechanisms: ANONYMOUS\n}}\n";

    private static string Addresses(IEnumerable<string> prefixes) =>
        string.Concat(prefixes.Select(p => $"address {{\n    prefix: {p}\n    distribution: balanced\n}}\n"));
}
