using System.Linq.Expressions;
using Akka.Actor;
using ActorDemo.Amqp;
using ActorDemo.Amqp.Routing;

namespace ActorDemo.Node.Hosting;

/// <summary>One invalid option: its configuration key and what is wrong with its value.</summary>
public sealed record OptionProblem(string Key, string Problem)
{
    public override string ToString() => $"Invalid option {OptionTable.Describe(Key)}: {Problem}";
}

/// <summary>Checks every option before anything starts, so that a bad value stops the node with its name.</summary>
public static class OptionsValidation
{
    public static IReadOnlyList<OptionProblem> Validate(ActorDemoOptions options)
    {
        var problems = new List<OptionProblem>();
        void Require<T>(bool valid, Expression<Func<ActorDemoOptions, T>> option, string problem)
        {
            if (!valid)
            {
                problems.Add(new OptionProblem(OptionTable.KeyOf(option), problem));
            }
        }

        var node = options.Node;
        Require(!string.IsNullOrWhiteSpace(node.Hostname), o => o.Node.Hostname, "it is empty; give the interface to bind, such as 127.0.0.1 or 0.0.0.0");
        Require(node.Port is >= 0 and <= 65535, o => o.Node.Port, $"{node.Port} is outside 0..65535 (0 picks a free port)");
        foreach (var seed in node.SeedList)
        {
            Require(IsSeed(seed), o => o.Node.Seeds, $"'{seed}' is not an address of this cluster; write akka.tcp://{NodeOptions.SystemName}@HOST:PORT");
        }

        Require(Enum.IsDefined(node.LogFormat), o => o.Node.LogFormat, "use text or json");
        Require(
            string.IsNullOrEmpty(node.Ledger) || Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(node.Ledger))),
            o => o.Node.Ledger,
            $"the folder of '{node.Ledger}' does not exist; create it or name a file in a folder that does");

        var amqp = options.Amqp;
        Require(amqp.RouterPort is >= 1 and <= 65535, o => o.Amqp.RouterPort, $"{amqp.RouterPort} is outside 1..65535");
        Require(System.Net.IPAddress.TryParse(amqp.RouterHostname, out _), o => o.Amqp.RouterHostname, $"'{amqp.RouterHostname}' is not an IP address; use 127.0.0.1, or 0.0.0.0 for all interfaces");
        Require(amqp.RouterMaxConnections >= 1, o => o.Amqp.RouterMaxConnections, $"{amqp.RouterMaxConnections} is less than 1; use {RouterOptions.DefaultMaxConnections}");
        Require(amqp.RouterOpenTimeout > TimeSpan.Zero, o => o.Amqp.RouterOpenTimeout, $"{amqp.RouterOpenTimeout} is not positive; use {RouterOptions.DefaultOpenTimeout.TotalSeconds:0}s");
        CheckAmqp(problems, () => amqp.EmbeddedRouter().LoadCertificate()?.Dispose(), AmqpOptions.RouterSettingKey);
        // The endpoint every link connects to, the embedded router's too (its URL comes from the two
        // options just checked, which then say what is wrong with it), and the stages built on it.
        string[] routerAddress = [OptionTable.KeyOf(o => o.Amqp.RouterPort), OptionTable.KeyOf(o => o.Amqp.RouterHostname)];
        var routerProblem = amqp.UsesEmbeddedRouter && problems.Any(problem => routerAddress.Contains(problem.Key));
        AmqpEndpoint? amqpEndpoint = null;
        if (!routerProblem && CheckAmqp(problems, () => amqpEndpoint = amqp.Endpoint()))
        {
            CheckAmqp(problems, () => new AmqpSourceSettings(amqpEndpoint!, amqp.Address) { Credit = amqp.Credit, Capabilities = amqp.CapabilityList() }.Validate());
            CheckAmqp(problems, () => new AmqpSinkSettings(amqpEndpoint!, amqp.Address) { MaxInFlight = amqp.MaxInFlight, Delivery = amqp.Delivery }.Validate());
        }

        Require(Enum.IsDefined(amqp.Delivery), o => o.Amqp.Delivery, "use at-least-once or at-most-once");

        var sensors = options.Sensors;
        Require(sensors.Count is >= 0 and <= SensorOptions.MaxCount, o => o.Sensors.Count, $"{sensors.Count} is outside 0..{SensorOptions.MaxCount:N0}");
        Require(sensors.Interval > TimeSpan.Zero, o => o.Sensors.Interval, $"{sensors.Interval} is not a positive time; use 1s or 500ms");
        Require(!string.IsNullOrWhiteSpace(sensors.Prefix), o => o.Sensors.Prefix, "it is empty");
        Require(sensors.Buffer > 0, o => o.Sensors.Buffer, $"{sensors.Buffer} is not a positive number of readings");
        Require(
            sensors.SteadyTemperature is null or (> Readings.TemperatureReading.AbsoluteZero and < Readings.TemperatureReading.Ceiling - SensorOptions.SteadySpread),
            o => o.Sensors.SteadyTemperature,
            $"{sensors.SteadyTemperature} °C is outside {Readings.TemperatureReading.AbsoluteZero}..{Readings.TemperatureReading.Ceiling - SensorOptions.SteadySpread} (steady sensors read up to {SensorOptions.SteadySpread} °C more)");

        Require(options.Sensors.RejoinAfter > TimeSpan.Zero, o => o.Sensors.RejoinAfter, $"{options.Sensors.RejoinAfter} is not a positive time; use 30s");
        var aggregator = options.Aggregator;
        Require(aggregator.Window > TimeSpan.Zero, o => o.Aggregator.Window, $"{aggregator.Window} is not a positive time; use 5s");
        Require(aggregator.MaxBatch > 0, o => o.Aggregator.MaxBatch, $"{aggregator.MaxBatch} is not a positive number of readings");
        Require(aggregator.Grace >= TimeSpan.Zero, o => o.Aggregator.Grace, $"{aggregator.Grace} is negative; use 2s");
        Require(aggregator.AllowedLateness >= TimeSpan.Zero, o => o.Aggregator.AllowedLateness, $"{aggregator.AllowedLateness} is negative; use 2s");
        Require(aggregator.FutureLimit > TimeSpan.Zero, o => o.Aggregator.FutureLimit, $"{aggregator.FutureLimit} is not a positive time; use 10s");
        Require(aggregator.History > 0, o => o.Aggregator.History, $"{aggregator.History} is not a positive number of windows");
        foreach (var (endpoint, hostname, port) in new (EndpointOptions, Expression<Func<ActorDemoOptions, string>>, Expression<Func<ActorDemoOptions, int>>)[]
        {
            (options.Inspection, o => o.Inspection.Hostname, o => o.Inspection.Port),
            (options.Management, o => o.Management.Hostname, o => o.Management.Port),
        })
        {
            Require(System.Net.IPAddress.TryParse(endpoint.Hostname, out _), hostname, $"'{endpoint.Hostname}' is not an IP address; use 127.0.0.1, or 0.0.0.0 for all interfaces");
            Require(endpoint.Port is >= 0 and <= 65535, port, $"{endpoint.Port} is outside 0..65535 (0 picks a free port)");
        }

        var discovery = options.Discovery;
        Require(discovery.Method is not null || node.SeedList.Count > 0, o => o.Node.Seeds, "there are no seeds and no discovery method; give --seeds or --discovery");
        Require(discovery.RequiredContactPoints >= 1, o => o.Discovery.RequiredContactPoints, $"{discovery.RequiredContactPoints} is not a positive number");
        Require(!string.IsNullOrWhiteSpace(discovery.ServiceName), o => o.Discovery.ServiceName, "it is empty");
        Require(discovery.Method != DiscoveryMethod.Config || discovery.ContactPointList.Count > 0, o => o.Discovery.ContactPoints, "--discovery config needs the contact points, HOST:PORT,...");
        foreach (var point in discovery.ContactPointList)
        {
            Require(point.Split(':') is [{ Length: > 0 }, var port] && int.TryParse(port, out _), o => o.Discovery.ContactPoints, $"'{point}' is not HOST:PORT");
        }

        Require(discovery.Method is null || options.Management.Port != 0, o => o.Management.Port, "cluster bootstrap needs a fixed management port: other nodes probe it");
        return problems;
    }

    /// <summary>
    /// Builds AMQP settings (the endpoint, the stages' settings) as the node will, so that nothing passes
    /// here that the node refuses at start (a credit of 1, say); what they refuse is a problem of the
    /// option they name, said once even when two settings refuse it (the address).
    /// </summary>
    /// <returns>Whether <paramref name="build"/> accepted the settings.</returns>
    /// <param name="keyOf">The configuration key of a setting the library names by its property; the endpoint's and the links' by default.</param>
    private static bool CheckAmqp(List<OptionProblem> problems, Action build, Func<string, string>? keyOf = null)
    {
        try
        {
            build();
            return true;
        }
        catch (AmqpSettingsException e)
        {
            var key = (keyOf ?? AmqpOptions.EndpointSettingKey)(e.Setting);
            if (!problems.Any(problem => problem.Key == key))
            {
                problems.Add(new OptionProblem(key, e.Problem));
            }

            return false;
        }
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
