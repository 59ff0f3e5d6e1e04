using System.Globalization;
using System.Linq.Expressions;
using System.Text.RegularExpressions;

namespace ActorDemo.Node.Hosting;

/// <summary>The executables of ActorDemo, for the options each one takes.</summary>
[Flags]
public enum Executables
{
    Aggregator = 1,
    Sensors = 2,
    Both = Aggregator | Sensors,
}

/// <summary>
/// One option of a node: its configuration key (from the property it binds), its flag, its help, and
/// the executables that take it. Its default is the property's initial value in <see cref="ActorDemoOptions"/>.
/// </summary>
/// <param name="Unset">What help says of the default when the property starts empty (the behaviour an empty value has).</param>
public sealed partial record OptionDefinition(
    string Flag,
    string Key,
    Type Type,
    string Help,
    Executables TakenBy,
    Func<ActorDemoOptions, object?> Value,
    string? Unset)
{
    public string EnvironmentVariable => Key.Replace(":", "__", StringComparison.Ordinal);

    public bool IsSwitch => Type == typeof(bool);

    /// <summary>Whether <paramref name="executable"/> takes this option (for <see cref="Executables.Both"/>: either does).</summary>
    public bool IsTakenBy(Executables executable) => (TakenBy & executable) != 0;

    /// <summary>The default as help shows it; none for a secret or an option without one.</summary>
    public string? DefaultText(ActorDemoOptions defaults) => Value(defaults) switch
    {
        null => Unset,
        Enum value => value.Kebab(),
        TimeSpan span => Duration(span),
        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
        var value => value.ToString(),
    };

    /// <summary>
    /// A value as the configuration binder takes it, so that flags, environment and appsettings.json
    /// all take the same forms: 250ms, 5s or 2m as a TimeSpan, at-least-once as the enum's name;
    /// anything else as given (the checks then name the option).
    /// </summary>
    public string Normalize(string text)
    {
        var type = Nullable.GetUnderlyingType(Type) ?? Type;
        if (type.IsEnum)
        {
            return text.Replace("-", "", StringComparison.Ordinal);
        }

        var match = type == typeof(TimeSpan) ? DurationPattern().Match(text.Trim()) : Match.Empty;
        if (!match.Success)
        {
            return text;
        }

        var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        var span = match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            _ => TimeSpan.FromMinutes(amount),
        };
        return span.ToString("c", CultureInfo.InvariantCulture);
    }

    /// <summary>How the option is set, for error messages: its flag, its key and its environment variable.</summary>
    public override string ToString() => $"{Flag} ({Key}, environment {EnvironmentVariable})";

    private static string Duration(TimeSpan span) => span switch
    {
        { TotalMilliseconds: < 1000 } => $"{span.TotalMilliseconds:0}ms",
        { TotalSeconds: < 60 } => $"{span.TotalSeconds:0.###}s",
        _ => $"{span.TotalMinutes:0.###}m",
    };

    [GeneratedRegex("^(?<amount>[0-9]+(\\.[0-9]+)?)(?<unit>ms|s|m)$")]
    private static partial Regex DurationPattern();
}

/// <summary>
/// Every option of both executables, in the order help lists them: the one table that the command
/// line, the configuration checks, the error messages and each executable's <c>--help</c> read.
/// Flags only override: one that is not given leaves the value of appsettings.json or the environment.
/// </summary>
public static class OptionTable
{
    public static IReadOnlyList<OptionDefinition> All { get; } =
    [
        Option("--amqp-url", o => o.Amqp.Url, "AMQP 1.0 endpoint (amqp:// or amqps://); empty: the embedded router", unset: "(embedded router)"),
        Option("--amqp-user", o => o.Amqp.User, "SASL PLAIN user; none: SASL ANONYMOUS"),
        Option("--amqp-password", o => o.Amqp.Password, "SASL PLAIN password"),
        Option("--amqp-ca-file", o => o.Amqp.CaFile, "PEM file of the CA that signed the router's certificate, for amqps:// with a private CA (EnMasse's)", unset: "(the system's CAs)"),
        // Sensors find the embedded router by these too.
        Option("--router-port", o => o.Amqp.RouterPort, "port of the embedded router"),
        Option("--router-hostname", o => o.Amqp.RouterHostname, "interface of the embedded router; give one other machines reach only with TLS (--router-certificate)"),
        Option("--router-certificate", o => o.Amqp.RouterCertificate, "PEM certificate of the embedded router; with --router-key it takes TLS (amqps), and plain AMQP from loopback only", Executables.Aggregator, "(none: plain AMQP)"),
        Option("--router-key", o => o.Amqp.RouterKey, "PEM private key of --router-certificate", Executables.Aggregator),
        Option("--router-max-connections", o => o.Amqp.RouterMaxConnections, "connections the embedded router holds at most; one more is refused with amqp:resource-limit-exceeded", Executables.Aggregator),
        Option("--router-open-timeout", o => o.Amqp.RouterOpenTimeout, "how long a new connection to the embedded router has to open AMQP before it is closed", Executables.Aggregator),
        Option("--address", o => o.Amqp.Address, "address the readings travel to"),
        Option("--max-address", o => o.Amqp.MaxAddress, "address the window maxima are sent to; empty disables", Executables.Aggregator),
        Option("--credit", o => o.Amqp.Credit, "credit window of the aggregator's receiver; a reading holds one until the singleton acknowledged the share that counts it (a few hundred ms)", Executables.Aggregator),
        Option("--max-in-flight", o => o.Amqp.MaxInFlight, "unsettled sends a sender keeps in flight; a reading stays in flight until an aggregator settled it (a few hundred ms)"),
        Option("--delivery", o => o.Amqp.Delivery, "at-least-once or at-most-once"),
        Option("--durable", o => o.Amqp.Durable, "ask for durable addresses and mark readings and maxima durable: a broker's queue (RabbitMQ, Artemis) keeps them on disk through its restart; give every node the same flag (the first link to a new queue decides its durability); routers store nothing either way"),
        Option("--capabilities", o => o.Amqp.Capabilities, "comma-separated capabilities the links ask of the addresses ('queue' for Artemis and EnMasse's brokered queues; RabbitMQ needs none)", unset: "(none)"),
        Option("--hostname", o => o.Node.Hostname, "interface remoting binds"),
        Option("--public-hostname", o => o.Node.PublicHostname, "host other nodes reach this one at", unset: "(the hostname)"),
        Option("--port", o => o.Node.Port, "remoting port; 0 picks a free one"),
        Option("--seeds", o => o.Node.Seeds, "seed nodes, comma-separated akka.tcp:// addresses"),
        Option("--node-name", o => o.Node.Name, "node part of device ids", unset: "(host name and port)"),
        Option("--log-format", o => o.Node.LogFormat, "text (lines for people) or json (one object per line, UTC, window fields for log pipelines)"),
        Option("--ledger", o => o.Node.Ledger, "file to append a line to for every reading the router accepted (sensors) or this node counted (aggregators) and every window emitted, to reconcile a run reading by reading", unset: "(none)"),
        Option("--sensors", o => o.Sensors.Count, "sensors on this node"),
        Option("--interval", o => o.Sensors.Interval, "time between two readings of a sensor (500ms, 1s, 00:00:01)"),
        Option("--sensor-prefix", o => o.Sensors.Prefix, "first part of device ids"),
        Option("--buffer", o => o.Sensors.Buffer, "readings buffered while no receiver gives credit; the oldest are dropped beyond"),
        Option("--steady-temperature", o => o.Sensors.SteadyTemperature, "sensor i always reads this + (i mod 100)/10 °C instead of a random walk", unset: "(random walk)"),
        Option("--rejoin-after", o => o.Sensors.RejoinAfter, "when all aggregators are gone, stop this long after with status 75, to be restarted into their cluster", Executables.Sensors),
        Option("--window", o => o.Aggregator.Window, "window length (5s, 00:00:05)", Executables.Aggregator),
        Option("--max-batch", o => o.Aggregator.MaxBatch, "most readings in one group GroupedWithin cuts", Executables.Aggregator),
        Option("--grace", o => o.Aggregator.Grace, "how long past a window's end the merge waits for an aggregator node's share (2s)", Executables.Aggregator),
        Option("--window-time", o => o.Aggregator.WindowTime, "arrival (a reading counts in the window it reached a node in) or event (in the window of its own timestamp, closed by the watermark; for queues and backlogs)", Executables.Aggregator),
        Option("--allowed-lateness", o => o.Aggregator.AllowedLateness, "with --window-time event: how far the watermark trails the newest timestamp the cluster saw; later readings are counted as late", Executables.Aggregator),
        Option("--future-limit", o => o.Aggregator.FutureLimit, "with --window-time event: readings stamped further ahead of the cluster's clock are rejected (a sensor clock that is wrong)", Executables.Aggregator),
        Option("--history", o => o.Aggregator.History, "window maxima the aggregator keeps", Executables.Aggregator),
        Option("--state-dir", o => o.Aggregator.StateDirectory, "folder where a lone aggregator keeps the shares it settled until their window goes out; a restart with the same folder counts them", Executables.Aggregator, "(<temp>/actordemo/aggregator-PORT; with --port 0 a folder of this run's own)"),
        Option("--with-sensors", o => o.Aggregator.WithSensors, "also run a sensor fleet in this process", Executables.Aggregator),
        Option("--inspection-hostname", o => o.Inspection.Hostname, "interface of the inspection endpoint (the cmd commands)"),
        Option("--inspection-port", o => o.Inspection.Port, "port of the inspection endpoint; 0 picks a free one"),
        Option("--inspection-token", o => o.Inspection.Token, "bearer token that leave, down, join and scale need (give it from a Secret); without one they answer on loopback only"),
        Option("--management-hostname", o => o.Management.Hostname, "interface of Akka.Management (/alive, /ready)"),
        Option("--management-port", o => o.Management.Port, "port of Akka.Management; 0 picks a free one"),
        Option("--discovery", o => o.Discovery.Method, "how to find the cluster: empty (the seeds), kubernetes or config (cluster bootstrap)", unset: "(the seeds)"),
        Option("--discovery-service", o => o.Discovery.ServiceName, "service name of the bootstrap"),
        Option("--label-selector", o => o.Discovery.LabelSelector, "pods of the cluster, {0} = service name"),
        Option("--kubernetes-api-url", o => o.Discovery.KubernetesApiUrl, "Kubernetes API server for --discovery kubernetes", unset: "(from the pod's environment)"),
        Option("--required-contact-points", o => o.Discovery.RequiredContactPoints, "contact points found before a new cluster forms"),
        Option("--contact-points", o => o.Discovery.ContactPoints, "for --discovery config: management endpoints HOST:PORT, comma-separated"),
    ];

    private static readonly Dictionary<string, OptionDefinition> ByKey = All.ToDictionary(option => option.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>The options <paramref name="executable"/> takes.</summary>
    public static IEnumerable<OptionDefinition> Of(Executables executable) => All.Where(option => option.IsTakenBy(executable));

    public static OptionDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The option that binds <paramref name="property"/>.</summary>
    public static OptionDefinition For<T>(Expression<Func<ActorDemoOptions, T>> property) => ByKey[KeyOf(property)];

    /// <summary>How a configuration key is set, for error messages: its flag and its environment variable.</summary>
    public static string Describe(string key) =>
        Find(key)?.ToString() ?? $"{key} (environment {key.Replace(":", "__", StringComparison.Ordinal)})";

    /// <summary>The configuration key of an options property: <c>o => o.Node.Port</c> is <c>ActorDemo:Node:Port</c>.</summary>
    public static string KeyOf<T>(Expression<Func<ActorDemoOptions, T>> property)
    {
        var names = new Stack<string>();
        var body = property.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : property.Body;
        while (body is MemberExpression member)
        {
            names.Push(member.Member.Name);
            body = member.Expression;
        }

        if (body is not ParameterExpression)
        {
            throw new ArgumentException($"'{property}' is not a chain of option properties.", nameof(property));
        }

        return string.Join(':', [ActorDemoOptions.Section, .. names]);
    }

    private static OptionDefinition Option<T>(
        string flag,
        Expression<Func<ActorDemoOptions, T>> property,
        string help,
        Executables takenBy = Executables.Both,
        string? unset = null)
    {
        var read = property.Compile();
        return new OptionDefinition(flag, KeyOf(property), typeof(T), help, takenBy, options => read(options), unset);
    }
}
