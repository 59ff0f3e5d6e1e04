using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorDemo.Testing;
using Amqp;
using Amqp.Framing;
using Xunit;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>What a running node tells the tools operators point at it: Prometheus' scrape and a log pipeline.</summary>
public sealed partial class ObservabilitySpecs : IAsyncLifetime
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);
    private readonly Nodes _nodes = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_count_accepted_readings_and_rejected_messages_by_reason()
    {
        _nodes.StartAggregator();
        _nodes.StartSensors("--sensors", "5", "--steady-temperature", "20");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_nodes.ManagementPort}") };
        double Accepted(IReadOnlyList<Sample> samples) =>
            samples.Where(s => s.Name == "actordemo_amqp_accepted_total" && s.Labels.GetValueOrDefault("link") == "readings-in").Sum(s => s.Value);

        double first = 0;
        await Eventually.Assert(async () => Assert.True((first = Accepted(await ScrapeAsync(http))) > 0), Formation);
        await Eventually.Assert(async () => Assert.True(Accepted(await ScrapeAsync(http)) > first), Formation);

        var outcome = await SendAsync(new Message { BodySection = new Data { Binary = "{\"temperature\":"u8.ToArray() } });
        Assert.IsType<Rejected>(outcome);
        await Eventually.Assert(
            async () => Assert.Contains(
                await ScrapeAsync(http),
                s => s.Name == "actordemo_readings_rejected_total" && s.Labels.GetValueOrDefault("reason") == "format" && s.Value >= 1),
            Formation);
    }

    [Fact]
    public async Task A_sensor_node_whose_readings_no_receiver_takes_says_so_in_its_readiness_and_its_metrics()
    {
        _nodes.StartAggregator();
        var management = Loopback.FreePort();
        _nodes.StartSensors("--sensors", "5", "--address", "read-by-nobody", "--management-port", management.ToString(CultureInfo.InvariantCulture));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{management}") };

        await Eventually.Assert(
            async () =>
            {
                var ready = await http.GetAsync("/ready");
                using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
                Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
                Assert.Equal("degraded", body.RootElement.GetProperty("status").GetString());
                Assert.Contains("readings wait (no-receiver)", body.RootElement.GetProperty("problems")[0].GetString());
            },
            Formation);
        Assert.Contains(await ScrapeAsync(http), s => s.Name == "actordemo_readings_stall" && s.Labels.GetValueOrDefault("cause") == "no-receiver" && s.Value == 1);
    }

    [Fact]
    public async Task Every_metric_the_shipped_alerting_rules_read_is_exported_by_the_running_nodes()
    {
        var rules = File.ReadAllText(Path.Combine(BuiltExecutables.RepositoryRoot, "deploy", "prometheus", "actordemo-alerts.yaml"));
        var read = MetricName().Matches(rules).Select(m => m.Value).ToHashSet();
        _nodes.StartAggregator();
        var sensorManagement = Loopback.FreePort();
        _nodes.StartSensors("--sensors", "5", "--management-port", sensorManagement.ToString(CultureInfo.InvariantCulture));
        using var aggregator = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_nodes.ManagementPort}") };
        using var sensors = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{sensorManagement}") };

        // A window recorded, so that its latency histogram has a sample; both nodes' links attached.
        await Eventually.Assert(
            async () =>
            {
                var exported = (await ScrapeAsync(aggregator)).Concat(await ScrapeAsync(sensors)).Select(s => s.Name).ToHashSet();
                Assert.Equal([], read.Except(exported).Order());
            },
            Formation);
    }

    [Fact]
    public async Task A_json_log_line_carries_the_window_as_named_fields()
    {
        var aggregator = _nodes.StartAggregator("--log-format", "json");
        _nodes.StartSensors("--sensors", "5", "--steady-temperature", "20");

        await aggregator.WaitForLineAsync(l => l.Contains("\"max\":"), Formation);

        using var line = JsonDocument.Parse(aggregator.Lines.First(l => l.Contains("\"max\":")));
        var root = line.RootElement;
        Assert.EndsWith("Z", root.GetProperty("timestamp").GetString());
        Assert.Equal("Information", root.GetProperty("level").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("category").GetString()));
        Assert.Contains("/user/aggregator", root.GetProperty("actorPath").GetString());
        Assert.Contains(" max ", root.GetProperty("message").GetString());
        var fields = root.GetProperty("fields");
        Assert.InRange(fields.GetProperty("max").GetDouble(), 20, 20.5);
        Assert.StartsWith("sensor-", fields.GetProperty("device").GetString());
        Assert.True(fields.GetProperty("count").GetInt32() > 0);
        Assert.All(aggregator.Lines.Where(l => l.StartsWith('{')), l => JsonDocument.Parse(l).Dispose());
    }

    private async Task<Outcome> SendAsync(Message message)
    {
        var connection = await new ConnectionFactory().CreateAsync(new global::Amqp.Address(_nodes.RouterUrl));
        try
        {
            var sender = new SenderLink(new Session(connection), "malformed", "temperature");
            return await sender.SendWithOutcome(message).WaitAsync(Formation);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>Reads /metrics and checks every line against the Prometheus text format.</summary>
    private static async Task<IReadOnlyList<Sample>> ScrapeAsync(HttpClient http)
    {
        var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        var samples = new List<Sample>();
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal) || line == "# EOF")
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(l => l.Groups["name"].Value, l => l.Groups["value"].Value);
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    [GeneratedRegex(@"\bactordemo_[a-z_]+")]
    private static partial Regex MetricName();

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|Inf|NaN))( -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}
