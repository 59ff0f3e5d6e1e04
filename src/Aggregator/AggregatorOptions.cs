using ActorDemo.Amqp;
using ActorDemo.Amqp.Routing;
using ActorDemo.Node.Hosting;

namespace ActorDemo.Aggregator;

/// <summary>Which time assigns a reading to its window.</summary>
public enum WindowTime
{
    /// <summary>When the reading reached an aggregator node, by the singleton's clock.</summary>
    Arrival,

    /// <summary>The reading's own timestamp; windows close by the cluster's watermark.</summary>
    Event,
}

/// <summary>The windows of the aggregator role, bound from <c>ActorDemo:Aggregator</c>.</summary>
public sealed class AggregatorOptions
{
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most readings in one group that GroupedWithin cuts; the windows themselves follow the clock.</summary>
    public int MaxBatch { get; set; } = 100_000;

    /// <summary>How long past a window's end the singleton waits for an aggregator that has not reported its share.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Window maxima the aggregator actor keeps.</summary>
    public int History { get; set; } = 720;

    /// <summary>Which time cuts the windows: when a reading arrived, or the timestamp it was taken at.</summary>
    public WindowTime WindowTime { get; set; } = WindowTime.Arrival;

    /// <summary>With event time: how far the watermark trails the newest reading's timestamp; a reading later than that is counted as late.</summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>With event time: a reading whose timestamp is further ahead of the cluster's clock is rejected.</summary>
    public TimeSpan FutureLimit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where a lone aggregator keeps its acknowledged shares, so that a restart with the same folder
    /// still counts them; none: a folder per remoting port under the temp folder.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>Also host a sensor fleet in the aggregator's process (the one-command demo).</summary>
    public bool WithSensors { get; set; }
}

/// <summary>
/// The aggregator role's part of the AMQP settings, bound from <c>ActorDemo:Amqp</c> beside the node's
/// own: its receiver's credit, where the maxima go, and the embedded router it starts without a URL.
/// </summary>
public sealed class AggregatorAmqpOptions
{
    /// <summary>Where window maxima are sent; empty disables.</summary>
    public string? MaxAddress { get; set; } = "max";

    /// <summary>
    /// The aggregator's credit window on the readings' address. A reading stays unsettled until the
    /// singleton acknowledged a share that counts it, so a node takes at most Credit per settlement time.
    /// </summary>
    public int Credit { get; set; } = 20_000;

    /// <summary>The embedded router's certificate (PEM); with <see cref="RouterKey"/> it serves amqps.</summary>
    public string? RouterCertificate { get; set; }

    public string? RouterKey { get; set; }

    public int RouterMaxConnections { get; set; } = RouterOptions.DefaultMaxConnections;

    public TimeSpan RouterOpenTimeout { get; set; } = RouterOptions.DefaultOpenTimeout;

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(MaxAddress))]
    public bool SendsMaxima => !string.IsNullOrWhiteSpace(MaxAddress);

    /// <summary>The embedded router these options and the node's (<paramref name="amqp"/>: where it listens, whom it lets in) describe.</summary>
    public RouterOptions EmbeddedRouter(AmqpOptions amqp) => new()
    {
        SettingName = property => AggregatorExecutable.Options.Find(RouterSettingKey(property))?.Flag ?? RouterSettingKey(property),
        Host = amqp.RouterHostname,
        Port = amqp.RouterPort,
        User = amqp.User,
        Password = amqp.Password,
        CertificateFile = RouterCertificate,
        KeyFile = RouterKey,
        MaxConnections = RouterMaxConnections,
        OpenTimeout = RouterOpenTimeout,
    };

    /// <summary>The configuration key of a setting of <see cref="RouterOptions"/>: the router's own are named Router...</summary>
    public static string RouterSettingKey(string property) => AmqpOptions.EndpointSettingKey(property switch
    {
        nameof(RouterOptions.Host) => nameof(AmqpOptions.RouterHostname),
        nameof(RouterOptions.CertificateFile) => nameof(RouterCertificate),
        nameof(RouterOptions.KeyFile) => nameof(RouterKey),
        nameof(RouterOptions.User) or nameof(RouterOptions.Password) => property,
        _ => $"Router{property}",
    });
}

/// <summary>The aggregator role's options: their rows of the option table and their checks.</summary>
public static class AggregatorOptionTable
{
    public static OptionSection<AggregatorAmqpOptions> Amqp { get; } = new OptionSection<AggregatorAmqpOptions>(nameof(ActorDemoOptions.Amqp), options => options.AggregatorAmqp)
        .Option("--router-certificate", a => a.RouterCertificate, "PEM certificate of the embedded router; with --router-key it takes TLS (amqps), and plain AMQP from loopback only", "(none: plain AMQP)")
        .Option("--router-key", a => a.RouterKey, "PEM private key of --router-certificate")
        .Option("--router-max-connections", a => a.RouterMaxConnections, "connections the embedded router holds at most; one more is refused with amqp:resource-limit-exceeded")
        .Option("--router-open-timeout", a => a.RouterOpenTimeout, "how long a new connection to the embedded router has to open AMQP before it is closed")
        .Option("--max-address", a => a.MaxAddress, "address the window maxima are sent to; empty disables")
        .Option("--credit", a => a.Credit, "credit window of the aggregator's receiver; a reading holds one until the singleton acknowledged the share that counts it (a few hundred ms)")
        .Checks(CheckAmqp);

    public static OptionSection<AggregatorOptions> Section { get; } = new OptionSection<AggregatorOptions>("Aggregator", options => options.Aggregator)
        .Option("--window", a => a.Window, "window length (5s, 00:00:05)")
        .Option("--max-batch", a => a.MaxBatch, "most readings in one group GroupedWithin cuts")
        .Option("--grace", a => a.Grace, "how long past a window's end the merge waits for an aggregator node's share (2s)")
        .Option("--window-time", a => a.WindowTime, "arrival (a reading counts in the window it reached a node in) or event (in the window of its own timestamp, closed by the watermark; for queues and backlogs)")
        .Option("--allowed-lateness", a => a.AllowedLateness, "with --window-time event: how far the watermark trails the newest timestamp the cluster saw; later readings are counted as late")
        .Option("--future-limit", a => a.FutureLimit, "with --window-time event: readings stamped further ahead of the cluster's clock are rejected (a sensor clock that is wrong)")
        .Option("--history", a => a.History, "window maxima the aggregator keeps")
        .Option("--state-dir", a => a.StateDirectory, "folder where a lone aggregator keeps the shares it settled until their window goes out; a restart with the same folder counts them", "(<temp>/actordemo/aggregator-PORT; with --port 0 a folder of this run's own)")
        .Option("--with-sensors", a => a.WithSensors, "also run a sensor fleet in this process")
        .Checks(Check);

    /// <summary>The node's settings an AMQP endpoint is made of: while one of them is wrong, the node says so and the receiver's settings wait.</summary>
    private static readonly string[] EndpointKeys =
    [
        NodeOptionTable.KeyOf(o => o.Amqp.Url), NodeOptionTable.KeyOf(o => o.Amqp.User), NodeOptionTable.KeyOf(o => o.Amqp.Password),
        NodeOptionTable.KeyOf(o => o.Amqp.CaFile), NodeOptionTable.KeyOf(o => o.Amqp.RouterPort), NodeOptionTable.KeyOf(o => o.Amqp.RouterHostname),
    ];

    private static void CheckAmqp(AggregatorAmqpOptions aggregator, OptionChecks<AggregatorAmqpOptions> checks)
    {
        var amqp = checks.Options.Amqp;
        checks.Require(aggregator.RouterMaxConnections >= 1, a => a.RouterMaxConnections, $"{aggregator.RouterMaxConnections} is less than 1; use {RouterOptions.DefaultMaxConnections}");
        checks.Require(aggregator.RouterOpenTimeout > TimeSpan.Zero, a => a.RouterOpenTimeout, $"{aggregator.RouterOpenTimeout} is not positive; use {RouterOptions.DefaultOpenTimeout.TotalSeconds:0}s");
        checks.Amqp(() => aggregator.EmbeddedRouter(amqp).LoadCertificate()?.Dispose(), AggregatorAmqpOptions.RouterSettingKey);
        if (!checks.Earlier.Any(problem => EndpointKeys.Contains(problem.Key)))
        {
            checks.Amqp(() => new AmqpSourceSettings(amqp.Endpoint(), amqp.Address) { Credit = aggregator.Credit, Capabilities = amqp.CapabilityList() }.Validate());
        }
    }

    private static void Check(AggregatorOptions aggregator, OptionChecks<AggregatorOptions> checks)
    {
        checks.Require(aggregator.Window > TimeSpan.Zero, a => a.Window, $"{aggregator.Window} is not a positive time; use 5s");
        checks.Require(aggregator.MaxBatch > 0, a => a.MaxBatch, $"{aggregator.MaxBatch} is not a positive number of readings");
        checks.Require(aggregator.Grace >= TimeSpan.Zero, a => a.Grace, $"{aggregator.Grace} is negative; use 2s");
        checks.Require(aggregator.AllowedLateness >= TimeSpan.Zero, a => a.AllowedLateness, $"{aggregator.AllowedLateness} is negative; use 2s");
        checks.Require(aggregator.FutureLimit > TimeSpan.Zero, a => a.FutureLimit, $"{aggregator.FutureLimit} is not a positive time; use 10s");
        checks.Require(aggregator.History > 0, a => a.History, $"{aggregator.History} is not a positive number of windows");
    }
}

/// <summary>The aggregator role's options on a node's options.</summary>
public static class AggregatorOptionsAccess
{
    extension(ActorDemoOptions options)
    {
        public AggregatorOptions Aggregator => options.Role<AggregatorOptions>();

        public AggregatorAmqpOptions AggregatorAmqp => options.Role<AggregatorAmqpOptions>();
    }
}
