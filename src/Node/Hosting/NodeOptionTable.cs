using Akka.Actor;
using ActorDemo.Amqp;

namespace ActorDemo.Node.Hosting;

/// <summary>The options every node takes, whatever its roles: AMQP, remoting, the cluster, the endpoints and discovery.</summary>
public static class NodeOptionTable
{
    public static OptionSection<ActorDemoOptions> Section { get; } = new OptionSection<ActorDemoOptions>("", options => options)
        .Option("--amqp-url", o => o.Amqp.Url, "AMQP 1.0 endpoint (amqp:// or amqps://); empty: the embedded router", unset: "(embedded router)")
        .Option("--amqp-user", o => o.Amqp.User, "SASL PLAIN user; none: SASL ANONYMOUS")
        .Option("--amqp-password", o => o.Amqp.Password, "SASL PLAIN password")
        .Option("--amqp-ca-file", o => o.Amqp.CaFile, "PEM file of the CA that signed the router's certificate, for amqps:// with a private CA (EnMasse's)", unset: "(the system's CAs)")
        // Sensors find the embedded router by these too.
        .Option("--router-port", o => o.Amqp.RouterPort, "port of the embedded router")
        .Option("--router-hostname", o => o.Amqp.RouterHostname, "interface of the embedded router; give one other machines reach only with TLS (--router-certificate)")
        .Option("--address", o => o.Amqp.Address, "address the readings travel to")
        .Option("--max-in-flight", o => o.Amqp.MaxInFlight, "unsettled sends a sender keeps in flight; a reading stays in flight until an aggregator settled it (a few hundred ms)")
        .Option("--delivery", o => o.Amqp.Delivery, "at-least-once or at-most-once")
        .Option("--durable", o => o.Amqp.Durable, "ask for durable addresses and mark readings and maxima durable: a broker's queue (RabbitMQ, Artemis) keeps them on disk through its restart; give every node the same flag (the first link to a new queue decides its durability); routers store nothing either way")
        .Option("--capabilities", o => o.Amqp.Capabilities, "comma-separated capabilities the links ask of the addresses ('queue' for Artemis and EnMasse's brokered queues; RabbitMQ needs none)", unset: "(none)")
        .Option("--hostname", o => o.Node.Hostname, "interface remoting binds")
        .Option("--public-hostname", o => o.Node.PublicHostname, "host other nodes reach this one at", unset: "(the hostname)")
        .Option("--port", o => o.Node.Port, "remoting port; 0 picks a free one")
        .Option("--seeds", o => o.Node.Seeds, "seed nodes, comma-separated akka.tcp:// addresses")
        .Option("--node-name", o => o.Node.Name, "node part of device ids", unset: "(host name and port)")
        .Option("--log-format", o => o.Node.LogFormat, "text (lines for people) or json (one object per line, UTC, window fields for log pipelines)")
        .Option("--ledger", o => o.Node.Ledger, "file to append a line to for every reading the router accepted (sensors) or this node counted (aggregators) and every window emitted, to reconcile a run reading by reading", unset: "(none)")
        .Option("--inspection-hostname", o => o.Inspection.Hostname, "interface of the inspection endpoint (the cmd commands)")
        .Option("--inspection-port", o => o.Inspection.Port, "port of the inspection endpoint; 0 picks a free one")
        .Option("--inspection-token", o => o.Inspection.Token, "bearer token that leave, down, join and scale need (give it from a Secret); without one they answer on loopback only")
        .Option("--management-hostname", o => o.Management.Hostname, "interface of Akka.Management (/alive, /ready)")
        .Option("--management-port", o => o.Management.Port, "port of Akka.Management; 0 picks a free one")
        .Option("--discovery", o => o.Discovery.Method, "how to find the cluster: empty (the seeds), kubernetes or config (cluster bootstrap)", unset: "(the seeds)")
        .Option("--discovery-service", o => o.Discovery.ServiceName, "service name of the bootstrap")
        .Option("--label-selector", o => o.Discovery.LabelSelector, "pods of the cluster, {0} = service name")
        .Option("--kubernetes-api-url", o => o.Discovery.KubernetesApiUrl, "Kubernetes API server for --discovery kubernetes", unset: "(from the pod's environment)")
        .Option("--required-contact-points", o => o.Discovery.RequiredContactPoints, "contact points found before a new cluster forms")
        .Option("--contact-points", o => o.Discovery.ContactPoints, "for --discovery config: management endpoints HOST:PORT, comma-separated")
        .Checks(CheckNode)
        .Checks(CheckAmqp)
        .Checks(CheckEndpoints);

    /// <summary>The configuration key of a node option: <c>o =&gt; o.Node.Port</c> is <c>ActorDemo:Node:Port</c>.</summary>
    public static string KeyOf<T>(System.Linq.Expressions.Expression<Func<ActorDemoOptions, T>> property) => Section.KeyOf(property);

    private static void CheckNode(ActorDemoOptions options, OptionChecks<ActorDemoOptions> checks)
    {
        var node = options.Node;
        checks.Require(!string.IsNullOrWhiteSpace(node.Hostname), o => o.Node.Hostname, "it is empty; give the interface to bind, such as 127.0.0.1 or 0.0.0.0");
        checks.Require(node.Port is >= 0 and <= 65535, o => o.Node.Port, $"{node.Port} is outside 0..65535 (0 picks a free port)");
        foreach (var seed in node.SeedList)
        {
            checks.Require(IsSeed(seed), o => o.Node.Seeds, $"'{seed}' is not an address of this cluster; write akka.tcp://{NodeOptions.SystemName}@HOST:PORT");
        }

        checks.Require(Enum.IsDefined(node.LogFormat), o => o.Node.LogFormat, "use text or json");
        checks.Require(
            string.IsNullOrEmpty(node.Ledger) || Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(node.Ledger))),
            o => o.Node.Ledger,
            $"the folder of '{node.Ledger}' does not exist; create it or name a file in a folder that does");
    }

    private static void CheckAmqp(ActorDemoOptions options, OptionChecks<ActorDemoOptions> checks)
    {
        var amqp = options.Amqp;
        checks.Require(amqp.RouterPort is >= 1 and <= 65535, o => o.Amqp.RouterPort, $"{amqp.RouterPort} is outside 1..65535");
        checks.Require(System.Net.IPAddress.TryParse(amqp.RouterHostname, out _), o => o.Amqp.RouterHostname, $"'{amqp.RouterHostname}' is not an IP address; use 127.0.0.1, or 0.0.0.0 for all interfaces");
        // The endpoint every link connects to, the embedded router's too (its URL comes from the two
        // options just checked, which then say what is wrong with it), and the sender built on it.
        var routerProblem = amqp.UsesEmbeddedRouter && (checks.HasProblem(o => o.Amqp.RouterPort) || checks.HasProblem(o => o.Amqp.RouterHostname));
        AmqpEndpoint? endpoint = null;
        if (!routerProblem && checks.Amqp(() => endpoint = amqp.Endpoint()))
        {
            checks.Amqp(() => new AmqpSinkSettings(endpoint!, amqp.Address) { MaxInFlight = amqp.MaxInFlight, Delivery = amqp.Delivery, Capabilities = amqp.CapabilityList() }.Validate());
        }

        checks.Require(Enum.IsDefined(amqp.Delivery), o => o.Amqp.Delivery, "use at-least-once or at-most-once");
    }

    private static void CheckEndpoints(ActorDemoOptions options, OptionChecks<ActorDemoOptions> checks)
    {
        checks.Require(System.Net.IPAddress.TryParse(options.Inspection.Hostname, out _), o => o.Inspection.Hostname, $"'{options.Inspection.Hostname}' is not an IP address; use 127.0.0.1, or 0.0.0.0 for all interfaces");
        checks.Require(options.Inspection.Port is >= 0 and <= 65535, o => o.Inspection.Port, $"{options.Inspection.Port} is outside 0..65535 (0 picks a free port)");
        checks.Require(System.Net.IPAddress.TryParse(options.Management.Hostname, out _), o => o.Management.Hostname, $"'{options.Management.Hostname}' is not an IP address; use 127.0.0.1, or 0.0.0.0 for all interfaces");
        checks.Require(options.Management.Port is >= 0 and <= 65535, o => o.Management.Port, $"{options.Management.Port} is outside 0..65535 (0 picks a free port)");

        var discovery = options.Discovery;
        checks.Require(discovery.Method is not null || options.Node.SeedList.Count > 0, o => o.Node.Seeds, "there are no seeds and no discovery method; give --seeds or --discovery");
        checks.Require(discovery.RequiredContactPoints >= 1, o => o.Discovery.RequiredContactPoints, $"{discovery.RequiredContactPoints} is not a positive number");
        checks.Require(!string.IsNullOrWhiteSpace(discovery.ServiceName), o => o.Discovery.ServiceName, "it is empty");
        checks.Require(discovery.Method != DiscoveryMethod.Config || discovery.ContactPointList.Count > 0, o => o.Discovery.ContactPoints, "--discovery config needs the contact points, HOST:PORT,...");
        foreach (var point in discovery.ContactPointList)
        {
            checks.Require(point.Split(':') is [{ Length: > 0 }, var port] && int.TryParse(port, out _), o => o.Discovery.ContactPoints, $"'{point}' is not HOST:PORT");
        }

        checks.Require(discovery.Method is null || options.Management.Port != 0, o => o.Management.Port, "cluster bootstrap needs a fixed management port: other nodes probe it");
    }

    private static bool IsSeed(string seed)
    {
        try
        {
            var address = Address.Parse(seed);
            return address.System == NodeOptions.SystemName && address.Host is not null && address.Port is > 0;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }
}
