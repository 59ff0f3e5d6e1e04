using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorDemo.Shared.Hosting;

/// <summary>A command-line flag and the configuration key it sets.</summary>
/// <param name="Default">Reads the default from the options before flags, so help never repeats a default.</param>
/// <param name="ToConfiguration">Turns the flag's text into the configuration value the binder takes.</param>
public sealed record NodeFlag(
    string Name,
    string Key,
    string Description,
    Func<ActorDemoOptions, object?> Default,
    Func<string, string>? ToConfiguration = null,
    bool IsSwitch = false)
{
    public string EnvironmentVariable => Key.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>
/// The flags of both executables. Flags only override: a flag that is not given leaves the value of
/// appsettings.json or the environment, so each default lives in <see cref="ActorDemoOptions"/> alone.
/// </summary>
public static partial class NodeCommandLine
{
    public static IReadOnlyList<NodeFlag> Flags { get; } =
    [
        new("--amqp-url", "ActorDemo:Amqp:Url", "AMQP 1.0 endpoint (amqp:// or amqps://); empty: the embedded router", o => o.Amqp.Url ?? "(embedded router)"),
        new("--amqp-user", "ActorDemo:Amqp:User", "SASL PLAIN user; none: SASL ANONYMOUS", o => o.Amqp.User),
        new("--amqp-password", "ActorDemo:Amqp:Password", "SASL PLAIN password", _ => null),
        new("--amqp-ca-file", "ActorDemo:Amqp:CaFile", "PEM file of the CA that signed the router's certificate, for amqps:// with a private CA (EnMasse's)", o => o.Amqp.CaFile ?? "(the system's CAs)"),
        new("--router-port", "ActorDemo:Amqp:RouterPort", "port of the embedded router", o => o.Amqp.RouterPort),
        new("--router-hostname", "ActorDemo:Amqp:RouterHostname", "interface of the embedded router; give one other machines reach only with TLS (--router-certificate)", o => o.Amqp.RouterHostname),
        new("--router-certificate", "ActorDemo:Amqp:RouterCertificate", "PEM certificate of the embedded router; with --router-key it takes TLS (amqps), and plain AMQP from loopback only", o => o.Amqp.RouterCertificate ?? "(none: plain AMQP)"),
        new("--router-key", "ActorDemo:Amqp:RouterKey", "PEM private key of --router-certificate", _ => null),
        new("--address", "ActorDemo:Amqp:Address", "address the readings travel to", o => o.Amqp.Address),
        new("--max-address", "ActorDemo:Amqp:MaxAddress", "address the window maxima are sent to; empty disables", o => o.Amqp.MaxAddress),
        new("--credit", "ActorDemo:Amqp:Credit", "credit window of the aggregator's receiver; readings stay unsettled until their window is recorded, so give at least readings/s of the node x (window + grace + 1 s)", o => o.Amqp.Credit),
        new("--max-in-flight", "ActorDemo:Amqp:MaxInFlight", "unsettled sends a sender keeps in flight; readings stay unsettled until their window is recorded, so give at least the node's readings/s x (window + grace + 1 s)", o => o.Amqp.MaxInFlight),
        new("--delivery", "ActorDemo:Amqp:Delivery", "at-least-once or at-most-once", o => Kebab(o.Amqp.Delivery.ToString()), value => value.Replace("-", "", StringComparison.Ordinal)),
        new("--hostname", "ActorDemo:Node:Hostname", "interface remoting binds", o => o.Node.Hostname),
        new("--public-hostname", "ActorDemo:Node:PublicHostname", "host other nodes reach this one at", o => o.Node.PublicHostname ?? "(the hostname)"),
        new("--port", "ActorDemo:Node:Port", "remoting port; 0 picks a free one", o => o.Node.Port),
        new("--seeds", "ActorDemo:Node:Seeds", "seed nodes, comma-separated akka.tcp:// addresses", o => o.Node.Seeds),
        new("--node-name", "ActorDemo:Node:Name", "node part of device ids", o => o.Node.Name ?? "(host name and port)"),
        new("--log-format", "ActorDemo:Node:LogFormat", "text (lines for people) or json (one object per line, UTC, window fields for log pipelines)", o => o.Node.LogFormat.ToString().ToLowerInvariant()),
        new("--sensors", "ActorDemo:Sensors:Count", "sensors on this node", o => o.Sensors.Count),
        new("--interval", "ActorDemo:Sensors:Interval", "time between two readings of a sensor (500ms, 1s, 00:00:01)", o => o.Sensors.Interval, Duration),
        new("--sensor-prefix", "ActorDemo:Sensors:Prefix", "first part of device ids", o => o.Sensors.Prefix),
        new("--buffer", "ActorDemo:Sensors:Buffer", "readings buffered while no receiver gives credit; the oldest are dropped beyond", o => o.Sensors.Buffer),
        new("--steady-temperature", "ActorDemo:Sensors:SteadyTemperature", "sensor i always reads this + i/10 °C instead of a random walk", o => o.Sensors.SteadyTemperature?.ToString(CultureInfo.InvariantCulture) ?? "(random walk)"),
        new("--rejoin-after", "ActorDemo:Sensors:RejoinAfter", "a sensor node whose aggregators are all gone stops this long after, with status 75, to be restarted into their cluster", o => o.Sensors.RejoinAfter, Duration),
        new("--window", "ActorDemo:Aggregator:Window", "window length (5s, 00:00:05)", o => o.Aggregator.Window, Duration),
        new("--max-batch", "ActorDemo:Aggregator:MaxBatch", "most readings in one group GroupedWithin cuts", o => o.Aggregator.MaxBatch),
        new("--grace", "ActorDemo:Aggregator:Grace", "how long past a window's end the merge waits for an aggregator node's share (2s)", o => o.Aggregator.Grace, Duration),
        new("--history", "ActorDemo:Aggregator:History", "window maxima the aggregator keeps", o => o.Aggregator.History),
        new("--inspection-hostname", "ActorDemo:Inspection:Hostname", "interface of the inspection endpoint (the cmd commands)", o => o.Inspection.Hostname),
        new("--inspection-port", "ActorDemo:Inspection:Port", "port of the inspection endpoint; 0 picks a free one", o => o.Inspection.Port),
        new("--inspection-token", "ActorDemo:Inspection:Token", "bearer token that leave, down, join and scale need (give it from a Secret); without one they answer on loopback only", _ => null),
        new("--management-hostname", "ActorDemo:Management:Hostname", "interface of Akka.Management (/alive, /ready)", o => o.Management.Hostname),
        new("--management-port", "ActorDemo:Management:Port", "port of Akka.Management; 0 picks a free one", o => o.Management.Port),
        new("--discovery", "ActorDemo:Discovery:Method", "how to find the cluster: empty (the seeds), kubernetes or config (cluster bootstrap)", o => o.Discovery.Method?.ToString().ToLowerInvariant() ?? "(the seeds)"),
        new("--discovery-service", "ActorDemo:Discovery:ServiceName", "service name of the bootstrap", o => o.Discovery.ServiceName),
        new("--label-selector", "ActorDemo:Discovery:LabelSelector", "pods of the cluster, {0} = service name", o => o.Discovery.LabelSelector),
        new("--kubernetes-api-url", "ActorDemo:Discovery:KubernetesApiUrl", "Kubernetes API server for --discovery kubernetes", o => o.Discovery.KubernetesApiUrl ?? "(from the pod's environment)"),
        new("--required-contact-points", "ActorDemo:Discovery:RequiredContactPoints", "contact points found before a new cluster forms", o => o.Discovery.RequiredContactPoints),
        new("--contact-points", "ActorDemo:Discovery:ContactPoints", "for --discovery config: management endpoints HOST:PORT, comma-separated", o => o.Discovery.ContactPoints),
        new("--with-sensors", "ActorDemo:Aggregator:WithSensors", "also run a sensor fleet in this process", o => o.Aggregator.WithSensors, IsSwitch: true),
    ];

    /// <summary>How a configuration key is set, for error messages: its flag and its environment variable.</summary>
    public static string Describe(string key)
    {
        var flag = Flags.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase));
        var variable = key.Replace(":", "__", StringComparison.Ordinal);
        return flag is null ? $"{key} (environment {variable})" : $"{flag.Name} ({key}, environment {variable})";
    }

    /// <summary>The root command: the node's flags, and <paramref name="run"/> with the configuration they set.</summary>
    /// <param name="defaults">The options before any flag, for the help text.</param>
    public static RootCommand Create(string description, ActorDemoOptions defaults, Func<IReadOnlyDictionary<string, string?>, CancellationToken, Task<int>> run)
    {
        var options = Flags.ToDictionary(
            flag => flag,
            flag => flag.IsSwitch
                ? (Option)new Option<bool>(flag.Name) { Description = Help(flag, defaults) }
                : new Option<string>(flag.Name) { Description = Help(flag, defaults), HelpName = "value" });

        var root = new RootCommand(description);
        foreach (var option in options.Values)
        {
            root.Add(option);
        }

        root.SetAction((parse, cancellation) =>
        {
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (flag, option) in options)
            {
                if (parse.GetResult(option) is null or { Implicit: true })
                {
                    continue;
                }

                overrides[flag.Key] = option switch
                {
                    Option<bool> toggle => parse.GetValue(toggle) ? "true" : "false",
                    Option<string> text => (flag.ToConfiguration ?? (v => v))(parse.GetValue(text) ?? ""),
                    _ => throw new InvalidOperationException($"Flag {flag.Name} has no reader."),
                };
            }

            return run(overrides, cancellation);
        });
        return root;
    }

    private static string Help(NodeFlag flag, ActorDemoOptions defaults) =>
        flag.Default(defaults) is { } value ? $"{flag.Description} [default: {value}] [env: {flag.EnvironmentVariable}]" : $"{flag.Description} [env: {flag.EnvironmentVariable}]";

    /// <summary>Accepts 250ms, 5s, 2m as well as the TimeSpan form the configuration binder reads.</summary>
    private static string Duration(string value)
    {
        var match = DurationPattern().Match(value.Trim());
        if (!match.Success)
        {
            return value;
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

    private static string Kebab(string pascal) => KebabPattern().Replace(pascal, "$1-$2").ToLowerInvariant();

    [GeneratedRegex("^(?<amount>[0-9]+(\\.[0-9]+)?)(?<unit>ms|s|m)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex KebabPattern();
}
