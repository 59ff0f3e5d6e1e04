using Akka.Actor;
using ActorDemo.Shared.Amqp;

namespace ActorDemo.Shared.Hosting;

/// <summary>One invalid option: its configuration key and what is wrong with its value.</summary>
/// <param name="Unconvertible">The value is not of the option's type: nothing can be bound until it is fixed.</param>
public sealed record OptionProblem(string Key, string Problem, bool Unconvertible = false)
{
    public override string ToString() => $"Invalid option {NodeCommandLine.Describe(Key)}: {Problem}";
}

/// <summary>Checks every option before anything starts, so that a bad value stops the node with its name.</summary>
public static class OptionsValidation
{
    public static IReadOnlyList<OptionProblem> Validate(ActorDemoOptions options)
    {
        var problems = new List<OptionProblem>();
        void Require(bool valid, string key, string problem)
        {
            if (!valid)
            {
                problems.Add(new OptionProblem($"{ActorDemoOptions.Section}:{key}", problem));
            }
        }

        var node = options.Node;
        Require(!string.IsNullOrWhiteSpace(node.Hostname), "Node:Hostname", "it is empty; give the interface to bind, such as 127.0.0.1 or 0.0.0.0");
        Require(node.Port is >= 0 and <= 65535, "Node:Port", $"{node.Port} is outside 0..65535 (0 picks a free port)");
        foreach (var seed in node.SeedList)
        {
            Require(IsSeed(seed), "Node:Seeds", $"'{seed}' is not an address of this cluster; write akka.tcp://{NodeOptions.SystemName}@HOST:PORT");
        }

        Require(Enum.IsDefined(node.LogFormat), "Node:LogFormat", "use text or json");

        var amqp = options.Amqp;
        if (!amqp.UsesEmbeddedRouter)
        {
            try
            {
                amqp.Endpoint();
            }
            catch (AmqpSettingsException e)
            {
                problems.Add(new OptionProblem($"{ActorDemoOptions.Section}:Amqp:{e.Setting}", e.Problem));
            }
        }

        else
        {
            // The embedded router takes the same pair for its SASL PLAIN user.
            Require(
                string.IsNullOrEmpty(amqp.Password) || !string.IsNullOrEmpty(amqp.User),
                "Amqp:User",
                "a password is set but no user; set both for SASL PLAIN, or neither for ANONYMOUS");
        }

        Require(amqp.RouterPort is >= 1 and <= 65535, "Amqp:RouterPort", $"{amqp.RouterPort} is outside 1..65535");
        Require(System.Net.IPAddress.TryParse(amqp.RouterHostname, out _), "Amqp:RouterHostname", $"'{amqp.RouterHostname}' is not an IP address; use 127.0.0.1, or 0.0.0.0 for all interfaces");
        try
        {
            amqp.EmbeddedRouter().LoadCertificate()?.Dispose();
        }
        catch (AmqpSettingsException e)
        {
            problems.Add(new OptionProblem($"{ActorDemoOptions.Section}:Amqp:{e.Setting}", e.Problem));
        }

        StageSettings(amqp, problems);
        Require(Enum.IsDefined(amqp.Delivery), "Amqp:Delivery", "use at-least-once or at-most-once");

        var sensors = options.Sensors;
        Require(sensors.Count is >= 0 and <= SensorOptions.MaxCount, "Sensors:Count", $"{sensors.Count} is outside 0..{SensorOptions.MaxCount:N0}");
        Require(sensors.Interval > TimeSpan.Zero, "Sensors:Interval", $"{sensors.Interval} is not a positive time; use 1s or 500ms");
        Require(!string.IsNullOrWhiteSpace(sensors.Prefix), "Sensors:Prefix", "it is empty");
        Require(sensors.Buffer > 0, "Sensors:Buffer", $"{sensors.Buffer} is not a positive number of readings");
        Require(
            sensors.SteadyTemperature is null or (> Readings.TemperatureReading.AbsoluteZero and < Readings.TemperatureReading.Ceiling),
            "Sensors:SteadyTemperature",
            $"{sensors.SteadyTemperature} °C is outside {Readings.TemperatureReading.AbsoluteZero}..{Readings.TemperatureReading.Ceiling}");

        Require(options.Sensors.RejoinAfter > TimeSpan.Zero, "Sensors:RejoinAfter", $"{options.Sensors.RejoinAfter} is not a positive time; use 30s");
        var aggregator = options.Aggregator;
        Require(aggregator.Window > TimeSpan.Zero, "Aggregator:Window", $"{aggregator.Window} is not a positive time; use 5s");
        Require(aggregator.MaxBatch > 0, "Aggregator:MaxBatch", $"{aggregator.MaxBatch} is not a positive number of readings");
        Require(aggregator.Grace >= TimeSpan.Zero, "Aggregator:Grace", $"{aggregator.Grace} is negative; use 2s");
        Require(aggregator.History > 0, "Aggregator:History", $"{aggregator.History} is not a positive number of windows");
        foreach (var (name, endpoint) in new[] { ("Inspection", options.Inspection), ("Management", options.Management) })
        {
            Require(System.Net.IPAddress.TryParse(endpoint.Hostname, out _), $"{name}:Hostname", $"'{endpoint.Hostname}' is not an IP address; use 127.0.0.1, or 0.0.0.0 for all interfaces");
            Require(endpoint.Port is >= 0 and <= 65535, $"{name}:Port", $"{endpoint.Port} is outside 0..65535 (0 picks a free port)");
        }

        var discovery = options.Discovery;
        Require(discovery.Method is not null || node.SeedList.Count > 0, "Node:Seeds", "there are no seeds and no discovery method; give --seeds or --discovery");
        Require(discovery.RequiredContactPoints >= 1, "Discovery:RequiredContactPoints", $"{discovery.RequiredContactPoints} is not a positive number");
        Require(!string.IsNullOrWhiteSpace(discovery.ServiceName), "Discovery:ServiceName", "it is empty");
        Require(discovery.Method != DiscoveryMethod.Config || discovery.ContactPointList.Count > 0, "Discovery:ContactPoints", "--discovery config needs the contact points, HOST:PORT,...");
        foreach (var point in discovery.ContactPointList)
        {
            Require(point.Split(':') is [{ Length: > 0 }, var port] && int.TryParse(port, out _), "Discovery:ContactPoints", $"'{point}' is not HOST:PORT");
        }

        Require(discovery.Method is null || options.Management.Port != 0, "Management:Port", "cluster bootstrap needs a fixed management port: other nodes probe it");
        return problems;
    }

    /// <summary>
    /// The settings of the stages the node will run, built and checked as the stages check them, so
    /// that nothing passes here that a stage refuses at start (a credit of 1, say).
    /// </summary>
    private static void StageSettings(AmqpOptions amqp, List<OptionProblem> problems)
    {
        AmqpEndpoint endpoint;
        try
        {
            endpoint = amqp.Endpoint();
        }
        catch (AmqpSettingsException)
        {
            // The URL's own problem is reported above.
            return;
        }

        foreach (var check in new Action[]
        {
            () => new AmqpSourceSettings(endpoint, amqp.Address) { Credit = amqp.Credit }.Validate(),
            () => new AmqpSinkSettings(endpoint, amqp.Address) { MaxInFlight = amqp.MaxInFlight, Delivery = amqp.Delivery }.Validate(),
        })
        {
            try
            {
                check();
            }
            catch (AmqpSettingsException e)
            {
                // A setting both stages refuse (the address) is said once.
                var key = $"{ActorDemoOptions.Section}:Amqp:{e.Setting}";
                if (!problems.Any(problem => problem.Key == key))
                {
                    problems.Add(new OptionProblem(key, e.Problem));
                }
            }
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
