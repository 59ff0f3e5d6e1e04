using ActorDemo.Amqp;
using ActorDemo.Node.Inspection;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// Every option of an ActorDemo node, bound from the section <c>ActorDemo</c> of appsettings.json,
/// environment variables (<c>ActorDemo__Amqp__Url</c>) and command-line flags (<c>--amqp-url</c>).
/// The node's own are properties here; each role keeps its options in a class of its own, held here
/// by type (<see cref="Role{T}"/>). The initial values of the properties are the only defaults.
/// </summary>
public sealed class ActorDemoOptions
{
    public const string Section = "ActorDemo";

    private readonly Dictionary<Type, object> _sections = [];

    public NodeOptions Node { get; set; } = new();

    public AmqpOptions Amqp { get; set; } = new();

    public InspectionOptions Inspection { get; set; } = new() { Port = 9110 };

    public EndpointOptions Management { get; set; } = new() { Port = 8558 };

    public DiscoveryOptions Discovery { get; set; } = new();

    /// <summary>A role's options (see its <see cref="OptionSection{T}"/>), with their defaults until configuration binds them.</summary>
    public T Role<T>()
        where T : class, new()
    {
        if (!_sections.TryGetValue(typeof(T), out var section))
        {
            _sections[typeof(T)] = section = new T();
        }

        return (T)section;
    }
}

/// <summary>How a node finds the cluster with cluster bootstrap.</summary>
public enum DiscoveryMethod
{
    /// <summary>Over the pods the Kubernetes API lists.</summary>
    Kubernetes,

    /// <summary>Over the management endpoints of <see cref="DiscoveryOptions.ContactPoints"/>.</summary>
    Config,
}

/// <summary>How a node finds the cluster: static seeds, or cluster bootstrap over a discovery method.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>None (empty): the seeds of <see cref="NodeOptions.Seeds"/>; otherwise cluster bootstrap, see <see cref="DiscoveryMethod"/>.</summary>
    public DiscoveryMethod? Method { get; set; }

    public string ServiceName { get; set; } = "actordemo";

    /// <summary>The pods of the cluster; <c>{0}</c> is the service name.</summary>
    public string LabelSelector { get; set; } = "app.kubernetes.io/part-of={0}";

    /// <summary>Contact points that must be found before a new cluster is formed.</summary>
    public int RequiredContactPoints { get; set; } = 2;

    /// <summary>For <c>kubernetes</c>: the API server; empty in a pod, which finds it in its environment.</summary>
    public string? KubernetesApiUrl { get; set; }

    /// <summary>For <c>config</c>: the management endpoints of the nodes, HOST:PORT, comma-separated.</summary>
    public string ContactPoints { get; set; } = "";

    public IReadOnlyList<string> ContactPointList => ContactPoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Where this node is in the cluster.</summary>
public sealed class NodeOptions
{
    public const string SystemName = "actordemo";

    /// <summary>The role that hosts the windows and the singleton; the split brain resolver decides among its nodes.</summary>
    public const string AggregatorRole = Downing.AggregatorDowningProvider.DecidingRole;

    /// <summary>The interface remoting binds.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The host other nodes use to reach this one (the pod IP in Kubernetes); the bound one when empty.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>Remoting port; 0 picks a free one.</summary>
    public int Port { get; set; } = 4053;

    /// <summary>Seed nodes, comma-separated; the aggregator at 127.0.0.1:4053 locally.</summary>
    public string Seeds { get; set; } = "akka.tcp://actordemo@127.0.0.1:4053";

    public IReadOnlyList<string> SeedList => Seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The node part of device ids; the host name and remoting port when empty.</summary>
    public string? Name { get; set; }

    /// <summary>How the node writes its log: lines for people, or JSON objects for a log pipeline.</summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Text;

    /// <summary>A file the node appends its reading ledger to (<see cref="Readings.ReadingLedger"/>); none when empty.</summary>
    public string? Ledger { get; set; }
}

/// <summary>The two log formats of <see cref="NodeOptions.LogFormat"/>.</summary>
public enum LogFormat
{
    Text,
    Json,
}

/// <summary>The AMQP 1.0 endpoint and addresses.</summary>
public sealed class AmqpOptions
{
    /// <summary>The AMQP endpoint; when empty the aggregator starts the embedded router and sensors use it.</summary>
    public string? Url { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The port of the embedded router, used when <see cref="Url"/> is empty.</summary>
    public int RouterPort { get; set; } = AmqpEndpoint.DefaultPort;

    /// <summary>The interface the embedded router binds: loopback, or one that sensors on other machines reach (with TLS).</summary>
    public string RouterHostname { get; set; } = "127.0.0.1";

    public string Address { get; set; } = "temperature";

    /// <summary>Unsettled sends a sender keeps in flight.</summary>
    /// <remarks>
    /// A reading stays unsettled until an aggregator settled it (its share acknowledged by the
    /// singleton), so a sensor node sends at most MaxInFlight per settlement time.
    /// </remarks>
    public int MaxInFlight { get; set; } = 20_000;

    public DeliveryMode Delivery { get; set; } = DeliveryMode.AtLeastOnce;

    /// <summary>Whether senders mark messages durable, so that a broker keeps them on disk across its restart.</summary>
    public bool Durable { get; set; }

    /// <summary>Comma-separated capabilities every link asks of the address (a broker's, such as "queue"); none by default.</summary>
    public string? Capabilities { get; set; }

    /// <summary><see cref="Capabilities"/> as a list.</summary>
    public IReadOnlyList<string> CapabilityList() =>
        string.IsNullOrWhiteSpace(Capabilities) ? [] : Capabilities.Split(',', StringSplitOptions.TrimEntries);

    /// <summary>A PEM file of the CA that signed the router's certificate, for <c>amqps</c> to a router with a private CA.</summary>
    public string? CaFile { get; set; }

    public bool UsesEmbeddedRouter => string.IsNullOrWhiteSpace(Url);

    public string EffectiveUrl => UsesEmbeddedRouter ? $"amqp://{(RouterHostname is "0.0.0.0" or "::" ? "127.0.0.1" : RouterHostname)}:{RouterPort}" : Url!;

    /// <summary>The endpoint these options name, as every link of the node connects to it.</summary>
    /// <exception cref="AmqpSettingsException">A setting is invalid.</exception>
    public AmqpEndpoint Endpoint(string? containerId = null) =>
        AmqpEndpoint.Create(EffectiveUrl, User, Password, containerId, caFile: CaFile, settingName: property => Flag(EndpointSettingKey(property)));

    /// <summary>The configuration key of a setting of <see cref="AmqpEndpoint"/> (or of the links, which these options also set).</summary>
    public static string EndpointSettingKey(string property) => $"{ActorDemoOptions.Section}:{nameof(ActorDemoOptions.Amqp)}:{property}";

    private static string Flag(string key) => NodeOptionTable.Section.Options.FirstOrDefault(option => option.Key == key)?.Flag ?? key;
}
