using ActorDemo.Testing;
using Xunit;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>What a user typing a wrong command line sees, from the real executables.</summary>
[Trait("Category", "Reliability")]
public sealed class CommandLineSpecs : IAsyncLifetime
{
    private readonly Nodes _nodes = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task A_bad_value_stops_the_start_with_the_option_named_and_status_2()
    {
        var sensors = _nodes.Start(Nodes.Sensors, ["--sensors", "many"]);

        Assert.Equal(2, await sensors.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(sensors.Lines, l => l.Contains("--sensors") && l.Contains("'many' is not a valid whole number"));
    }

    [Fact]
    public async Task A_bad_environment_variable_is_named_like_a_flag()
    {
        var aggregator = _nodes.Start(Nodes.Aggregator, [], new Dictionary<string, string> { ["ActorDemo__Amqp__Url"] = "http://broker:5672" });

        Assert.Equal(2, await aggregator.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(aggregator.Lines, l => l.Contains("ActorDemo__Amqp__Url") && l.Contains("use amqp:// or amqps://"));
    }

    [Fact]
    public async Task A_misspelled_environment_variable_is_refused_with_the_option_it_resembles()
    {
        var sensors = _nodes.Start(Nodes.Sensors, [], new Dictionary<string, string> { ["ActorDemo__Sensors__Cuont"] = "5" });

        Assert.Equal(2, await sensors.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(sensors.Lines, l => l.Contains("ActorDemo:Sensors:Cuont") && l.Contains("did you mean --sensors"));
    }

    [Fact]
    public async Task An_appsettings_file_that_is_not_json_stops_the_start_with_where_it_breaks()
    {
        // A copy of the executable's folder, so that the broken file is seen by this node alone.
        var folder = Directory.CreateTempSubdirectory("actordemo-appsettings-");
        try
        {
            var source = Path.GetDirectoryName(Nodes.Sensors)!;
            foreach (var file in Directory.EnumerateFiles(source))
            {
                File.Copy(file, Path.Combine(folder.FullName, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "appsettings.json"), """{ "ActorDemo": { "Sensors": { "Count": 3, } """);
            var sensors = _nodes.Start(Path.Combine(folder.FullName, Path.GetFileName(Nodes.Sensors)), []);

            Assert.Equal(2, await sensors.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains(sensors.Lines, l => l.Contains("appsettings.json") && l.Contains("LineNumber") && l.Contains("Fix its JSON"));
            Assert.DoesNotContain(sensors.Lines, l => l.Contains("   at "));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_amqp_url_with_a_path_is_refused_because_the_address_is_its_own_option()
    {
        var sensors = _nodes.Start(Nodes.Sensors, ["--amqp-url", "amqp://127.0.0.1:5672/temperature"]);

        Assert.Equal(2, await sensors.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(sensors.Lines, l => l.Contains("--amqp-url") && l.Contains("'/temperature'") && l.Contains("--address"));
    }

    [Fact]
    public async Task An_address_that_is_not_this_machines_stops_the_start_naming_the_option()
    {
        var sensors = _nodes.Start(Nodes.Sensors, ["--management-hostname", "203.0.113.7", "--port", "0"]);

        Assert.Equal(1, await sensors.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(sensors.Lines, l => l.Contains("203.0.113.7 (--management-hostname) is not an address of this machine"));
    }

    [Fact]
    public async Task An_unknown_flag_is_refused_with_a_pointer_to_help()
    {
        var aggregator = _nodes.Start(Nodes.Aggregator, ["--sensor", "3"]);

        Assert.Equal(2, await aggregator.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(aggregator.Lines, l => l.Contains("--sensor"));
        Assert.Contains(aggregator.Lines, l => l.Contains("--help"));
    }

    [Fact]
    public async Task Help_lists_every_option_with_its_default()
    {
        var sensors = _nodes.Start(Nodes.Sensors, ["--help"]);

        Assert.Equal(0, await sensors.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(sensors.Lines, l => l.Contains("--sensors") && l.Contains("[default: 10]"));
        Assert.Contains(sensors.Lines, l => l.Contains("--port") && l.Contains("[default: 0]"));
    }

    [Fact]
    public async Task Each_executables_help_lists_its_own_options_only()
    {
        var sensors = _nodes.Start(Nodes.Sensors, ["--help"]);
        var aggregator = _nodes.Start(Nodes.Aggregator, ["--help"]);

        Assert.Equal(0, await sensors.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await aggregator.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(sensors.Lines, l => l.TrimStart().StartsWith("--window", StringComparison.Ordinal));
        Assert.Contains(aggregator.Lines, l => l.TrimStart().StartsWith("--window", StringComparison.Ordinal) && l.Contains("[default: 5s]"));
        Assert.DoesNotContain(aggregator.Lines, l => l.TrimStart().StartsWith("--rejoin-after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_setting_of_the_other_executable_is_refused_with_status_2()
    {
        var sensors = _nodes.Start(Nodes.Sensors, [], new Dictionary<string, string> { ["ActorDemo__Aggregator__Window"] = "soon" });

        Assert.Equal(2, await sensors.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(sensors.Lines, l => l.Contains("ActorDemo__Aggregator__Window") && l.Contains("this executable takes no option of this name"));
    }

    [Fact]
    public async Task A_router_port_in_use_stops_the_aggregator_with_what_to_do()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, _nodes.RouterPort) { ExclusiveAddressUse = true };
        occupant.Start();

        var aggregator = _nodes.StartAggregator();

        Assert.Equal(1, await aggregator.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(aggregator.Lines, l => l.Contains("could not start") && l.Contains($"127.0.0.1:{_nodes.RouterPort}") && l.Contains("--router-port"));
    }

    [Fact]
    public async Task A_second_node_on_the_remoting_port_of_a_running_node_is_refused_with_what_to_do()
    {
        var running = _nodes.StartAggregator();
        await running.WaitForLineAsync(l => l.Contains("Cluster member up:"), TimeSpan.FromSeconds(60));

        var second = _nodes.Start(Nodes.Aggregator, ["--amqp-url", _nodes.RouterUrl, "--port", _nodes.SeedPort.ToString(), "--inspection-port", "0", "--management-port", "0"]);

        Assert.Equal(1, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(second.Lines, l => l.Contains("could not start") && l.Contains($"127.0.0.1:{_nodes.SeedPort} is in use") && l.Contains("--port"));
        Assert.False(running.HasExited);
    }

    [Fact]
    public async Task An_unreachable_amqp_endpoint_is_retried_and_the_sensor_node_keeps_running()
    {
        var sensors = _nodes.Start(Nodes.Sensors, ["--amqp-url", $"amqp://127.0.0.1:{Loopback.FreePort()}"]);

        await sensors.WaitForLineAsync(l => l.Contains("reconnecting with backoff"), TimeSpan.FromSeconds(30));
        Assert.False(sensors.HasExited);
    }

    [Fact]
    public async Task An_unknown_cmd_command_is_refused_with_the_list_of_valid_ones()
    {
        var client = _nodes.Start(Nodes.Aggregator, ["cmd", "cluster", "explode"]);

        Assert.Equal(2, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(client.Lines, l => l.Contains("Unknown command 'cluster explode'"));
        Assert.Contains(client.Lines, l => l.Contains("cluster show"));
        Assert.Contains(client.Lines, l => l.Contains("windows tail"));
    }

    [Fact]
    public async Task Cmd_help_as_a_flag_lists_the_commands_and_exits_0()
    {
        var client = _nodes.Start(Nodes.Aggregator, ["cmd", "--help"]);

        Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(client.Lines, l => l.Contains("cluster show"));
        Assert.DoesNotContain(client.Lines, l => l.Contains("Unknown command"));
    }

    [Fact]
    public async Task The_sensor_executables_cmd_has_the_commands_of_the_node_and_the_sensor_role_only()
    {
        var client = _nodes.Start(Nodes.Sensors, ["cmd", "help"]);

        Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(client.Lines, l => l.TrimStart().StartsWith("cluster show", StringComparison.Ordinal));
        Assert.Contains(client.Lines, l => l.TrimStart().StartsWith("sensors scale", StringComparison.Ordinal));
        Assert.DoesNotContain(client.Lines, l => l.TrimStart().StartsWith("windows", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sensors", "scale", "many")]
    [InlineData("cluster", "down")]
    [InlineData("windows", "show", "-n", "x")]
    public async Task A_cmd_command_with_bad_arguments_gets_its_usage(params string[] command)
    {
        var client = _nodes.Start(Nodes.Aggregator, ["cmd", .. command]);

        Assert.Equal(2, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(client.Lines, l => l.Contains($"cmd [HOST:PORT] {command[0]} {command[1]}"));
    }

    [Fact]
    public async Task Cmd_with_a_port_out_of_range_is_refused_with_status_2()
    {
        var client = _nodes.Start(Nodes.Aggregator, ["cmd", "127.0.0.1:99999", "cluster", "show"]);

        Assert.Equal(2, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(client.Lines, l => l.Contains("'127.0.0.1:99999' is not a node's inspection endpoint") && l.Contains("1..65535"));
    }

    [Fact]
    public async Task A_password_without_a_user_is_refused_with_status_2_for_the_embedded_router_too()
    {
        var aggregator = _nodes.StartAggregator("--amqp-password", "s3cret");

        Assert.Equal(2, await aggregator.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(aggregator.Lines, l => l.Contains("--amqp-user") && l.Contains("a password is set but no user"));
    }

    [Fact]
    public async Task Cmd_against_an_unreachable_host_says_so_and_fails()
    {
        var port = Loopback.FreePort();
        var client = _nodes.Start(Nodes.Aggregator, ["cmd", $"127.0.0.1:{port}", "cluster", "show"]);

        Assert.Equal(1, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(client.Lines, l => l.Contains($"Cannot reach the node's inspection endpoint at http://127.0.0.1:{port}"));
    }
}
