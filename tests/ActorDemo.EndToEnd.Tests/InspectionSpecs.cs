using System.Net;
using System.Text.Json;
using ActorDemo.Testing;
using Xunit;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>The <c>cmd</c> commands against real nodes, run as a user runs them: the executable as the client.</summary>
public sealed class InspectionSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);
    private readonly Nodes _nodes = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task Cluster_show_lists_every_member_with_its_roles_and_status()
    {
        var aggregator = _nodes.StartAggregator();
        _nodes.StartSensors("--sensors", "1", "--node-name", "shown");
        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains("Cluster member up:")) == 2, Formation);

        var (status, lines) = await _nodes.Cmd("cluster", "show", "--json");

        Assert.Equal(0, status);
        using var json = JsonDocument.Parse(string.Join('\n', lines));
        var members = json.RootElement.GetProperty("members").EnumerateArray()
            .Select(m => (Node: m.GetProperty("node").GetString()!, Status: m.GetProperty("status").GetString(), Roles: string.Join(",", m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()))))
            .ToList();
        Assert.Equal(2, members.Count);
        Assert.Contains(members, m => m.Node == _nodes.Seed && m.Status == "Up" && m.Roles == "aggregator");
        Assert.Contains(members, m => m.Node != _nodes.Seed && m.Status == "Up" && m.Roles == "sensor");
        Assert.Equal(_nodes.Seed, json.RootElement.GetProperty("selfNode").GetString());
    }

    [Fact]
    public async Task Cluster_show_prints_a_table_for_people()
    {
        var aggregator = _nodes.StartAggregator();
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:"), Formation);

        var (status, lines) = await _nodes.Cmd("cluster", "show");

        Assert.Equal(0, status);
        Assert.StartsWith("ADDRESS", lines[0]);
        Assert.Contains(lines, l => l.StartsWith(_nodes.Seed) && l.Contains(" Up ") && l.Contains("aggregator") && l.Contains("self leader"));
    }

    [Fact]
    public async Task Cluster_leave_makes_a_member_leave_and_its_process_exit_cleanly()
    {
        var aggregator = _nodes.StartAggregator();
        var sensors = _nodes.StartSensors("--sensors", "1", "--node-name", "leaving");
        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains("Cluster member up:")) == 2, Formation);
        var address = SensorAddress(aggregator);

        var (status, lines) = await _nodes.Cmd("cluster", "leave", address);

        Assert.Equal(0, status);
        Assert.Contains(lines, l => l.Contains($"Leaving {address}"));
        Assert.Equal(0, await sensors.WaitForExitAsync(Formation));
        await aggregator.WaitForLineAsync(l => l.Contains($"Cluster member removed: {address}") && l.Contains("(was Exiting)"), Formation);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task A_running_member_downed_through_cmd_exits_with_a_status_that_says_it_was_downed()
    {
        var aggregator = _nodes.StartAggregator();
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:"), Formation);
        var sensors = _nodes.StartSensors("--sensors", "1", "--node-name", "downed");
        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains("Cluster member up:")) == 2, Formation);
        var address = SensorAddress(aggregator);

        var (status, _) = await _nodes.Cmd("cluster", "down", address);

        Assert.Equal(0, status);
        // Not 0: a supervisor (Kubernetes) must see that the node did not stop because it was asked to.
        Assert.NotEqual(0, await sensors.WaitForExitAsync(Formation));
    }

    [Fact]
    public async Task Cluster_down_of_a_killed_member_removes_it()
    {
        var (aggregator, doomed) = await StartClusterOfThree();
        var address = doomed.Lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"akka\.tcp://actordemo@127\.0\.0\.1:\d+")).First(m => m.Success && m.Value != _nodes.Seed).Value;

        doomed.Kill();
        var (status, lines) = await _nodes.Cmd("cluster", "down", address);

        Assert.Equal(0, status);
        Assert.Contains(lines, l => l.Contains($"Downing {address}"));
        await aggregator.WaitForLineAsync(l => l.Contains($"Cluster member removed: {address}") && l.Contains("(was Down)"), Formation);
        var (_, after) = await _nodes.Cmd("cluster", "show");
        Assert.DoesNotContain(after, l => l.StartsWith(address));
    }

    [Fact]
    public async Task Cluster_down_unreachable_removes_a_member_that_vanished()
    {
        var (aggregator, vanished) = await StartClusterOfThree();

        vanished.Kill();
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member unreachable:"), Formation);
        var (status, lines) = await _nodes.Cmd("cluster", "down-unreachable");

        Assert.Equal(0, status);
        Assert.Contains(lines, l => l.StartsWith("Downing akka.tcp://actordemo@127.0.0.1:"));
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member removed:") && l.Contains("(was Down)"), Formation);
    }

    [Fact]
    public async Task Cluster_join_makes_a_node_join_the_cluster_of_the_address_given()
    {
        var aggregator = _nodes.StartAggregator();
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:"), Formation);
        var inspection = Loopback.FreePort();
        // Its seed is nowhere: on its own it never joins.
        var loner = _nodes.Start(Nodes.Sensors, [
            "--amqp-url", _nodes.RouterUrl, "--seeds", $"akka.tcp://actordemo@127.0.0.1:{Loopback.FreePort()}", "--inspection-port", inspection.ToString()]);
        await loner.WaitForLineAsync(l => l.Contains($"Now listening on: http://127.0.0.1:{inspection}"), Formation);

        await using var client = ExternalProcess.Start(Nodes.Sensors, ["cmd", $"127.0.0.1:{inspection}", "cluster", "join", _nodes.Seed], new Dictionary<string, string>());
        Assert.Equal(0, await client.WaitForExitAsync(Formation));

        Assert.Contains(client.Lines, l => l.Contains($"Joining {_nodes.Seed}"));
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:") && l.Contains("[sensor]"), Formation);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Cluster_join_of_a_node_already_in_another_cluster_is_refused_and_says_how_to_move_it()
    {
        var aggregator = _nodes.StartAggregator();
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:"), Formation);
        var (port, inspection) = (Loopback.FreePort(), Loopback.FreePort());
        var other = _nodes.Start(Nodes.Aggregator, [
            "--router-port", Loopback.FreePort().ToString(), "--port", port.ToString(), "--seeds", $"akka.tcp://actordemo@127.0.0.1:{port}",
            "--inspection-port", inspection.ToString(), "--management-port", "0"]);
        await other.WaitForLineAsync(l => l.Contains("Cluster member up:"), Formation);
        await other.WaitForLineAsync(l => l.Contains($"Now listening on: http://127.0.0.1:{inspection}"), Formation);

        var (status, lines) = await Nodes.CmdAt($"127.0.0.1:{inspection}", "cluster", "join", _nodes.Seed);

        Assert.Equal(1, status);
        Assert.Contains(lines, l => l.Contains("already a member of a cluster") && l.Contains("--seeds"));
    }

    [Fact]
    public async Task Cluster_tail_follows_members_as_they_join()
    {
        var aggregator = _nodes.StartAggregator();
        await aggregator.WaitForLineAsync(l => l.Contains($"Now listening on: http://{_nodes.Inspection}"), Formation);
        await using var tail = ExternalProcess.Start(Nodes.Aggregator, ["cmd", _nodes.Inspection, "cluster", "tail"], new Dictionary<string, string>());
        await tail.WaitForLineAsync(l => l.Contains("MemberUp") && l.Contains(_nodes.Seed), Formation);

        _nodes.StartSensors("--sensors", "1", "--node-name", "joining");

        await tail.WaitForLineAsync(l => l.Contains("MemberUp") && l.Contains("[sensor]"), Formation);
        Assert.False(tail.HasExited);
    }

    [Fact]
    public async Task Windows_tail_prints_each_window_as_it_is_recorded()
    {
        var aggregator = _nodes.StartAggregator("--with-sensors", "--sensors", "2");
        await aggregator.WaitForLineAsync(l => l.Contains($"Now listening on: http://{_nodes.Inspection}"), Formation);
        await using var tail = ExternalProcess.Start(Nodes.Aggregator, ["cmd", _nodes.Inspection, "windows", "tail"], new Dictionary<string, string>());

        await tail.WaitForLineAsync(_ => tail.Lines.Count(l => l.Contains(" max ") && l.Contains(" readings from 1 node")) >= 2, Formation);
        // The same windows as the aggregator logs them (its log line may follow the tail's by a moment).
        var followed = tail.Lines.Where(l => l.Contains(" max ")).ToList();
        await Eventually.Assert(() => Assert.All(followed, w => Assert.Contains(aggregator.Lines, logged => logged.EndsWith(w))), Formation);
    }

    [Fact]
    public async Task Windows_show_returns_the_maxima_the_aggregator_logged()
    {
        var aggregator = _nodes.StartAggregator("--with-sensors", "--sensors", "2", "--interval", "200ms");
        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains(" readings")) >= 3, Formation);

        var (status, lines) = await _nodes.Cmd("windows", "show", "-n", "2");

        Assert.Equal(0, status);
        var windows = lines.Where(l => l.Contains(" max ") && !l.StartsWith("recent")).ToList();
        Assert.Equal(2, windows.Count);
        // The same window, as the aggregator logged it and as cmd prints it.
        Assert.All(windows, w => Assert.Contains(aggregator.Lines, logged => logged.EndsWith(w)));
        Assert.Contains(lines, l => l.StartsWith("recent maximum: "));
    }

    [Fact]
    public async Task Sensors_scale_changes_the_readings_rate()
    {
        var aggregator = _nodes.StartAggregator("--with-sensors", "--sensors", "1", "--interval", "100ms", "--node-name", "scaled");
        await aggregator.WaitForLineAsync(l => l.Contains(" readings"), Formation);
        // The first window may hold what the sensor buffered while its node joined; then one sensor's rate.
        await Eventually.Assert(async () => Assert.All(await WindowCounts(), count => Assert.InRange(count, 1, 12)), Formation);

        var (status, lines) = await _nodes.Cmd("sensors", "scale", "8");

        Assert.Equal(0, status);
        Assert.Contains(lines, l => l.Contains("now runs 8 sensors"));
        // 8 sensors at 10 Hz in 1-second windows: about 80 readings a window once all have ticked.
        await Eventually.Assert(async () => Assert.Contains(await WindowCounts(), count => count >= 60), Formation);
        var (_, shown) = await _nodes.Cmd("sensors", "show", "--json");
        using var json = JsonDocument.Parse(string.Join('\n', shown));
        Assert.Equal(8, json.RootElement.GetProperty("nodes")[0].GetProperty("sensors").GetInt32());
    }

    [Fact]
    public async Task Sensors_show_answers_for_a_sensor_node_of_twenty_thousand_sensors_in_another_process()
    {
        var aggregator = _nodes.StartAggregator();
        // A reading an hour each: the fleet is large, its load small.
        _nodes.Start(Nodes.Sensors, ["--amqp-url", _nodes.RouterUrl, "--seeds", _nodes.Seed, "--port", "0", "--sensors", "20000", "--interval", "01:00:00", "--node-name", "large"]);
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:") && l.Contains("[sensor]"), Formation);

        await Eventually.Assert(
            async () =>
            {
                var (status, shown) = await _nodes.Cmd("sensors", "show", "--json");
                Assert.Equal(0, status);
                using var json = JsonDocument.Parse(string.Join('\n', shown));
                Assert.Equal(20000, json.RootElement.GetProperty("nodes")[0].GetProperty("sensors").GetInt32());
            },
            Formation);
    }

    [Fact]
    public async Task Scaling_a_fleet_beyond_the_bound_is_refused_and_the_fleet_stays_as_it_was()
    {
        var aggregator = _nodes.StartAggregator("--with-sensors", "--sensors", "2");
        await aggregator.WaitForLineAsync(l => l.Contains($"Now listening on: http://{_nodes.Inspection}"), Formation);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_nodes.Inspection}/") };

        using var response = await http.PutAsync("sensors?count=100000000", null);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("0 to 100,000 a node", await response.Content.ReadAsStringAsync());
        var (_, shown) = await _nodes.Cmd("sensors", "show", "--json");
        using var json = JsonDocument.Parse(string.Join('\n', shown));
        Assert.Equal(2, json.RootElement.GetProperty("nodes")[0].GetProperty("sensors").GetInt32());
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task A_query_value_of_the_wrong_kind_gets_400_with_json_naming_it()
    {
        var aggregator = _nodes.StartAggregator();
        await aggregator.WaitForLineAsync(l => l.Contains($"Now listening on: http://{_nodes.Inspection}"), Formation);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_nodes.Inspection}/") };

        using var response = await http.GetAsync("windows?n=abc");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("\"abc\"", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task A_form_too_large_gets_400_with_json_not_an_empty_500()
    {
        var aggregator = _nodes.StartAggregator();
        await aggregator.WaitForLineAsync(l => l.Contains($"Now listening on: http://{_nodes.Inspection}"), Formation);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_nodes.Inspection}/") };
        var huge = new FormUrlEncodedContent([new KeyValuePair<string, string>("operation", new string('x', 10 * 1024 * 1024))]);

        using var response = await http.PutAsync($"cluster/members/{Uri.EscapeDataString(_nodes.Seed)}", huge);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("Bad request body", json.RootElement.GetProperty("error").GetString());
        Assert.False(aggregator.HasExited);
    }

    [Fact]
    public async Task Amqp_show_lists_the_links_of_the_node_and_the_embedded_router()
    {
        var aggregator = _nodes.StartAggregator("--with-sensors", "--sensors", "1");
        await aggregator.WaitForLineAsync(l => l.Contains(" readings"), Formation);

        var (status, lines) = await _nodes.Cmd("amqp", "show");

        Assert.Equal(0, status);
        Assert.Contains(lines, l => l.StartsWith("readings-in") && l.Contains("temperature") && l.Contains("Attached"));
        Assert.Contains(lines, l => l.StartsWith("readings-out") && l.Contains("Attached"));
        Assert.Contains(lines, l => l.StartsWith("temperature") && l.Contains(" 1 "));
    }

    [Fact]
    public async Task Actor_hierarchy_shows_the_roles_actors_to_the_depth_asked()
    {
        var aggregator = _nodes.StartAggregator("--with-sensors", "--sensors", "2");
        await aggregator.WaitForLineAsync(l => l.Contains("Cluster member up:"), Formation);

        var (status, lines) = await _nodes.Cmd("actor", "hierarchy", "-d", "1");

        Assert.Equal(0, status);
        Assert.Contains("/user", lines);
        Assert.Contains(lines, l => l.Trim() == "/user/sensors  (2 children)");
        Assert.Contains(lines, l => l.Trim().StartsWith("/user/publisher"));
        Assert.DoesNotContain(lines, l => l.Contains("/user/sensors/"));
    }

    [Fact]
    public async Task The_health_probes_answer_on_the_management_port_once_the_node_is_ready()
    {
        var aggregator = _nodes.StartAggregator();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_nodes.ManagementPort}") };
        await aggregator.WaitForLineAsync(l => l.Contains($"Now listening on: http://127.0.0.1:{_nodes.ManagementPort}"), Formation);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
        await Eventually.Assert(async () => Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ready")).StatusCode), Formation);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/cluster/members")).StatusCode);
    }

    [Fact]
    public async Task A_node_that_has_not_joined_is_alive_but_not_ready_and_says_why()
    {
        var management = Loopback.FreePort();
        // Its seed is the aggregator, which is not running: it cannot join.
        var sensors = _nodes.StartSensors("--management-port", management.ToString());
        await sensors.WaitForLineAsync(l => l.Contains($"Now listening on: http://127.0.0.1:{management}"), Formation);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{management}") };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
        var ready = await http.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("not Up", await ready.Content.ReadAsStringAsync());
    }

    /// <summary>An aggregator and two sensor nodes, so that the cluster keeps a majority when one of them goes.</summary>
    private async Task<(ExternalProcess Aggregator, ExternalProcess Expendable)> StartClusterOfThree()
    {
        var aggregator = _nodes.StartAggregator();
        _nodes.StartSensors("--sensors", "1", "--node-name", "staying");
        var expendable = _nodes.StartSensors("--sensors", "1", "--node-name", "expendable");
        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains("Cluster member up:")) == 3, Formation);
        return (aggregator, expendable);
    }

    private static string SensorAddress(ExternalProcess aggregator) =>
        aggregator.Lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"Cluster member up: (\S+) \[sensor\]")).First(m => m.Success).Groups[1].Value;

    private async Task<IReadOnlyList<int>> WindowCounts()
    {
        var (_, lines) = await _nodes.Cmd("windows", "show", "-n", "3", "--json");
        using var json = JsonDocument.Parse(string.Join('\n', lines));
        return json.RootElement.GetProperty("windows").EnumerateArray().Select(w => w.GetProperty("count").GetInt32()).ToList();
    }
}
