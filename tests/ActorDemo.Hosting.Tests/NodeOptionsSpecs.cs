using ActorDemo.Aggregator;
using ActorDemo.Amqp;
using ActorDemo.Node.Hosting;
using ActorDemo.Sensors;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace ActorDemo.Hosting.Tests;

/// <summary>The options of both executables: their flags, their configuration keys, their checks.</summary>
public sealed class NodeOptionsSpecs
{
    private static (ActorDemoOptions Options, IReadOnlyList<OptionProblem> Problems) Bind(params (string Key, string Value)[] settings) =>
        NodeConfiguration.Bind(Configuration(settings), AggregatorExecutable.Options);

    /// <summary>The configuration the flags set, as the root command hands it to the host.</summary>
    private static async Task<IReadOnlyDictionary<string, string?>> Flags(params string[] args)
    {
        IReadOnlyDictionary<string, string?> parsed = new Dictionary<string, string?>();
        var command = NodeCommandLine.Create(AggregatorExecutable.Options, "test", new ActorDemoOptions(), (flags, _) =>
        {
            parsed = flags;
            return Task.FromResult(0);
        });
        Assert.Equal(0, await command.Parse(args).InvokeAsync());
        return parsed;
    }

    [Fact]
    public void Without_configuration_the_defaults_of_the_design_card_apply()
    {
        var (options, problems) = Bind();

        Assert.Empty(problems);
        Assert.Equal(4053, options.Node.Port);
        Assert.Equal(["akka.tcp://actordemo@127.0.0.1:4053"], options.Node.SeedList);
        Assert.Equal("temperature", options.Amqp.Address);
        Assert.Equal("amqp://127.0.0.1:5672", options.Amqp.EffectiveUrl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Aggregator.Window);
        Assert.Equal(10, options.Sensors.Count);
    }

    [Fact]
    public async Task Flags_set_the_configuration_keys_the_environment_variables_also_set()
    {
        var flags = await Flags("--amqp-url", "amqp://broker:5672", "--sensors", "3", "--delivery", "at-most-once", "--interval", "250ms", "--with-sensors");

        var (options, problems) = Bind(flags.Select(f => (f.Key, f.Value!)).ToArray());

        Assert.Empty(problems);
        Assert.Equal("amqp://broker:5672", options.Amqp.Url);
        Assert.Equal(3, options.Sensors.Count);
        Assert.Equal(DeliveryMode.AtMostOnce, options.Amqp.Delivery);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Sensors.Interval);
        Assert.True(options.Aggregator.WithSensors);
    }

    [Fact]
    public async Task Flags_not_given_leave_the_configuration_alone() =>
        Assert.Equal(["ActorDemo:Sensors:Count"], (await Flags("--sensors", "3")).Keys);

    [Fact]
    public void A_value_of_the_wrong_type_names_the_option_its_flag_and_its_variable()
    {
        var (_, problems) = Bind(("ActorDemo:Sensors:Count", "many"));

        var message = Assert.Single(problems).ToString();
        Assert.Contains("--sensors", message);
        Assert.Contains("ActorDemo__Sensors__Count", message);
        Assert.Contains("'many' is not a valid whole number", message);
    }

    [Theory]
    [InlineData("ActorDemo:Aggregator:Window", "soon", "--window", "time")]
    [InlineData("ActorDemo:Aggregator:WithSensors", "maybe", "--with-sensors", "true or false")]
    [InlineData("ActorDemo:Amqp:Delivery", "sometimes", "--delivery", "at-least-once or at-most-once")]
    [InlineData("ActorDemo:Sensors:SteadyTemperature", "hot", "--steady-temperature", "number")]
    [InlineData("ActorDemo:Node:Port", "99999999999", "--port", "whole number")]
    public void A_value_that_is_not_of_its_options_type_names_the_flag_and_the_kind_expected(string key, string value, string flag, string kind)
    {
        var (_, problems) = Bind((key, value));

        var message = Assert.Single(problems).ToString();
        Assert.Contains(flag, message);
        Assert.Contains($"'{value}' is not a valid", message);
        Assert.Contains(kind, message);
    }

    [Theory]
    [InlineData("kubernetes", DiscoveryMethod.Kubernetes)]
    [InlineData("Config", DiscoveryMethod.Config)]
    [InlineData("", null)]
    public void The_discovery_method_is_one_of_two_or_empty_for_the_seeds(string value, DiscoveryMethod? expected)
    {
        var (options, problems) = Bind(("ActorDemo:Discovery:Method", value), ("ActorDemo:Discovery:ContactPoints", "127.0.0.1:8558"));

        Assert.Empty(problems);
        Assert.Equal(expected, options.Discovery.Method);
    }

    [Fact]
    public void A_ca_file_that_cannot_be_read_is_refused_with_the_embedded_router_too()
    {
        var (_, problems) = Bind(("ActorDemo:Amqp:CaFile", "/nonexistent/ca.pem"));

        var message = Assert.Single(problems).ToString();
        Assert.Contains("--amqp-ca-file", message);
        Assert.Contains("cannot be read as PEM certificates", message);
    }

    [Fact]
    public void A_ledger_in_a_folder_that_does_not_exist_is_refused_before_the_node_starts()
    {
        var (_, problems) = Bind(("ActorDemo:Node:Ledger", "/nonexistent/run.ledger"));

        var message = Assert.Single(problems).ToString();
        Assert.Contains("--ledger", message);
        Assert.Contains("the folder of '/nonexistent/run.ledger' does not exist", message);
    }

    [Fact]
    public void A_router_port_out_of_range_is_said_once_not_again_as_a_bad_url()
    {
        var (_, problems) = Bind(("ActorDemo:Amqp:RouterPort", "70000"));

        Assert.Contains("--router-port", Assert.Single(problems).ToString());
    }

    [Fact]
    public void An_unknown_discovery_method_is_refused_with_the_ones_there_are()
    {
        var (_, problems) = Bind(("ActorDemo:Discovery:Method", "dns"));

        var message = Assert.Single(problems).ToString();
        Assert.Contains("--discovery", message);
        Assert.Contains("kubernetes or config", message);
    }

    [Fact]
    public void An_empty_value_leaves_an_optional_number_unset()
    {
        var (options, problems) = Bind(("ActorDemo:Sensors:SteadyTemperature", ""));

        Assert.Empty(problems);
        Assert.Null(options.Sensors.SteadyTemperature);
    }

    [Fact]
    public void A_log_format_that_is_neither_text_nor_json_says_which_are()
    {
        var (_, problems) = Bind(("ActorDemo:Node:LogFormat", "xml"));

        var message = Assert.Single(problems).ToString();
        Assert.Contains("--log-format", message);
        Assert.Contains("text or json", message);
    }

    [Fact]
    public void The_log_format_json_is_taken_in_any_case()
    {
        var (options, problems) = Bind(("ActorDemo:Node:LogFormat", "JSON"));

        Assert.Empty(problems);
        Assert.Equal(LogFormat.Json, options.Node.LogFormat);
    }

    [Theory]
    [InlineData("ActorDemo:Node:Port", "70000", "--port")]
    [InlineData("ActorDemo:Amqp:Url", "http://broker", "--amqp-url")]
    [InlineData("ActorDemo:Node:Seeds", "127.0.0.1:4053", "--seeds")]
    [InlineData("ActorDemo:Sensors:Interval", "00:00:00", "--interval")]
    [InlineData("ActorDemo:Amqp:Credit", "0", "--credit")]
    [InlineData("ActorDemo:Amqp:Credit", "1", "--credit")]
    [InlineData("ActorDemo:Amqp:MaxInFlight", "0", "--max-in-flight")]
    [InlineData("ActorDemo:Amqp:RouterMaxConnections", "0", "--router-max-connections")]
    [InlineData("ActorDemo:Amqp:RouterOpenTimeout", "0s", "--router-open-timeout")]
    [InlineData("ActorDemo:Amqp:Address", " ", "--address")]
    [InlineData("ActorDemo:Sensors:SteadyTemperature", "-300", "--steady-temperature")]
    [InlineData("ActorDemo:Sensors:SteadyTemperature", "995", "--steady-temperature")]
    public void An_invalid_value_is_reported_with_its_flag(string key, string value, string flag)
    {
        var (_, problems) = Bind((key, value));

        Assert.Contains(flag, Assert.Single(problems).ToString());
    }

    [Fact]
    public void An_unknown_flag_is_a_parse_error() =>
        Assert.NotEmpty(Command(AggregatorExecutable.Options).Parse(["--sensor", "3"]).Errors);

    [Fact]
    public void Every_property_of_the_options_is_one_option_of_the_table()
    {
        static IEnumerable<string> Keys(Type type, string prefix) =>
            type.GetProperties().Where(p => p.SetMethod?.IsPublic == true).SelectMany(p =>
                p.PropertyType.IsClass && p.PropertyType != typeof(string)
                    ? Keys(p.PropertyType, $"{prefix}:{p.Name}")
                    : [$"{prefix}:{p.Name}"]);

        var properties = Keys(typeof(ActorDemoOptions), ActorDemoOptions.Section)
            .Concat(Keys(typeof(AggregatorAmqpOptions), $"{ActorDemoOptions.Section}:Amqp"))
            .Concat(Keys(typeof(AggregatorOptions), $"{ActorDemoOptions.Section}:Aggregator"))
            .Concat(Keys(typeof(SensorOptions), $"{ActorDemoOptions.Section}:Sensors"));
        var options = AggregatorExecutable.Options.All.Concat(SensorExecutable.Options.All).DistinctBy(option => option.Key).ToList();

        Assert.Equal(properties.Order(), options.Select(option => option.Key).Order());
        Assert.Equal(options.Count, options.Select(option => option.Flag).Distinct().Count());
    }

    [Fact]
    public void Each_executable_has_the_flags_of_its_own_options_only()
    {
        var sensors = Command(SensorExecutable.Options).Options.Select(option => option.Name).ToList();
        var aggregator = Command(AggregatorExecutable.Options).Options.Select(option => option.Name).ToList();

        Assert.Contains("--sensors", sensors);
        Assert.DoesNotContain("--window", sensors);
        Assert.DoesNotContain("--credit", sensors);
        Assert.Contains("--window", aggregator);
        Assert.Contains("--sensors", aggregator);
        Assert.DoesNotContain("--rejoin-after", aggregator);
    }

    [Fact]
    public void A_flag_of_the_other_executable_is_a_parse_error() =>
        Assert.NotEmpty(Command(SensorExecutable.Options).Parse(["--window", "5s"]).Errors);

    [Theory]
    [InlineData("ActorDemo:Aggregator:Grace", "1s")]
    [InlineData("ActorDemo:Aggregator:Grace", "1000ms")]
    [InlineData("ActorDemo:Aggregator:Grace", "00:00:01")]
    public void A_time_takes_the_same_forms_in_every_source(string key, string value)
    {
        var (options, problems) = Bind((key, value));

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Aggregator.Grace);
    }

    [Fact]
    public void A_delivery_takes_the_flags_form_in_every_source()
    {
        var (options, problems) = Bind(("ActorDemo:Amqp:Delivery", "at-most-once"));

        Assert.Empty(problems);
        Assert.Equal(DeliveryMode.AtMostOnce, options.Amqp.Delivery);
    }

    [Fact]
    public void A_value_that_does_not_convert_is_quoted_as_it_was_given()
    {
        var (_, problems) = Bind(("ActorDemo:Amqp:Delivery", "at-most-once-ish"));

        Assert.Contains("'at-most-once-ish' is not a valid delivery", Assert.Single(problems).ToString());
    }

    [Fact]
    public void An_option_set_as_a_list_is_refused_not_ignored()
    {
        var (_, problems) = Bind(("ActorDemo:Sensors:Count:0", "1"));

        var message = Assert.Single(problems).ToString();
        Assert.Contains("--sensors", message);
        Assert.Contains("takes one value", message);
    }

    [Fact]
    public void A_setting_of_the_other_executable_with_a_value_of_the_wrong_type_is_refused_not_bound()
    {
        var (_, problems) = NodeConfiguration.Bind(Configuration(("ActorDemo:Aggregator:Grace", "soon")), SensorExecutable.Options);

        var message = Assert.Single(problems).ToString();
        Assert.Contains("ActorDemo__Aggregator__Grace", message);
        Assert.Contains("this executable takes no option of this name", message);
    }

    [Fact]
    public void A_setting_of_the_aggregator_is_refused_by_the_sensor_executable_as_unknown_to_it()
    {
        var (_, problems) = NodeConfiguration.Bind(Configuration(("ActorDemo:Aggregator:Window", "00:00:05")), SensorExecutable.Options);

        var message = Assert.Single(problems).ToString();
        Assert.Contains("ActorDemo__Aggregator__Window", message);
        Assert.Contains("it would be ignored", message);
    }

    [Fact]
    public void A_setting_only_the_sensor_executable_takes_is_refused_by_the_aggregator_with_its_flag()
    {
        var (_, problems) = NodeConfiguration.Bind(Configuration(("ActorDemo:Sensors:RejoinAfter", "10s")), AggregatorExecutable.Options);

        var message = Assert.Single(problems).ToString();
        Assert.Contains("--rejoin-after", message);
        Assert.Contains("only the sensors executable takes this option", message);
    }

    [Fact]
    public void Help_shows_the_executables_own_default()
    {
        var defaults = new ActorDemoOptions();
        defaults.Node.Port = 0;

        var port = Command(SensorExecutable.Options, defaults).Options.Single(option => option.Name == "--port");

        Assert.Contains("[default: 0]", port.Description);
        Assert.Contains("[env: ActorDemo__Node__Port]", port.Description);
    }

    [Fact]
    public void Configuration_overrides_the_executables_own_default()
    {
        var defaults = new ActorDemoOptions();
        defaults.Node.Port = 0;
        defaults.Inspection.Port = 0;

        var (options, problems) = NodeConfiguration.Bind(Configuration(("ActorDemo:Node:Port", "4060")), SensorExecutable.Options, defaults);

        Assert.Empty(problems);
        Assert.Equal(4060, options.Node.Port);
        Assert.Equal(0, options.Inspection.Port);
    }

    [Theory]
    [InlineData("--interval", "[default: 1s]")]
    [InlineData("--delivery", "[default: at-least-once]")]
    [InlineData("--amqp-url", "[default: (embedded router)]")]
    public void Help_shows_each_default_as_its_flag_takes_it(string flag, string shown) =>
        Assert.Contains(shown, Command(AggregatorExecutable.Options).Options.Single(option => option.Name == flag).Description);

    [Fact]
    public void A_secret_has_no_default_in_help() =>
        Assert.DoesNotContain("[default:", Command(AggregatorExecutable.Options).Options.Single(option => option.Name == "--amqp-password").Description);

    private static System.CommandLine.RootCommand Command(OptionTable executable, ActorDemoOptions? defaults = null) =>
        NodeCommandLine.Create(executable, "test", defaults ?? new ActorDemoOptions(), (_, _) => Task.FromResult(0));

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
