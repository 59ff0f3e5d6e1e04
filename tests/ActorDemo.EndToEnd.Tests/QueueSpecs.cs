using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>
/// The pipeline on a queue of a real broker (Debian's RabbitMQ with its AMQP 1.0 plugin) instead of
/// an anycast address: the readings wait in the broker while no aggregator runs.
/// </summary>
public sealed class QueueSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output)
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(90);
    private static readonly string Readings = RabbitMqFixture.Queue("temperature");
    private static readonly string[] ReadingsQueue = ["--address", Readings];
    private static readonly string[] OnQueues = [.. ReadingsQueue, "--max-address", RabbitMqFixture.Queue("max")];

    [Fact]
    public async Task Readings_published_for_60_s_while_no_aggregator_runs_are_all_counted_once_two_aggregators_start_in_the_windows_they_were_measured_in_in_order()
    {
        await using var broker = await RabbitMqFixture.StartAsync();
        await using var ledgers = new ReadingLedgers();
        await using var nodes = new Nodes(broker.Url, line => Output?.WriteLine(line));
        // 100 readings a second: 6,000 in the minute no aggregator runs, sixty windows of the nodes' one second.
        await PublishWhileNoAggregatorRunsAsync(nodes, ledgers, readings: 6_000);

        var maxima = WindowMaxima.Read(broker.Url, Sys.Materializer(), RabbitMqFixture.Queue("max"));
        string[] ByEventTime() => [.. OnQueues, "--window-time", "event", .. ledgers.Flag("aggregator")];
        var aggregatorsStarted = DateTimeOffset.UtcNow;
        var first = nodes.StartAggregator(ByEventTime());
        var second = nodes.StartAnotherAggregator(Loopback.FreePort(), ByEventTime());
        await Nodes.AttachedAsync(first, Readings);
        await Nodes.AttachedAsync(second, Readings);
        await first.WaitForLineAsync(_ => first.Lines.Count(l => l.Contains("Cluster member up:")) == 3, Formation);

        var totals = await Nodes.StopSensorsAsync(nodes.Inspection);
        Assert.True(totals.AllAccepted, totals.ToString());
        var reconciled = await ledgers.EveryAcceptedReadingStandsAsync(maxima, totals.Accepted, Formation, byEventTime: true);
        var windows = maxima.Windows;
        Output!.WriteLine($"{totals}; reconciled: {reconciled}; {windows.Count} windows, from {windows[0].WindowStart:HH:mm:ss}");

        Assert.Equal(windows.OrderBy(w => w.WindowStart).Select(w => w.WindowStart), windows.Select(w => w.WindowStart));
        var backlog = windows.Where(w => w.WindowEnd <= aggregatorsStarted).ToList();
        Assert.True(backlog.Count >= 55, $"{backlog.Count} windows measured before the aggregators started");
        Assert.All(backlog.Zip(backlog.Skip(1)), pair => Assert.Equal(pair.First.WindowEnd, pair.Second.WindowStart));

        // The history holds the same windows, in the same order.
        var (_, lines) = await nodes.Cmd("windows", "show", "-n", "1000", "--json");
        using var history = System.Text.Json.JsonDocument.Parse(string.Join('\n', lines));
        Assert.Equal(
            windows.Select(w => w.WindowStart),
            history.RootElement.GetProperty("windows").EnumerateArray().Select(w => w.GetProperty("windowStart").GetDateTimeOffset()));
    }

    /// <summary>20 sensors every 200 ms (100 readings a second) publish to the queue until it holds <paramref name="readings"/> accepted ones.</summary>
    private static async Task PublishWhileNoAggregatorRunsAsync(Nodes nodes, ReadingLedgers ledgers, int readings)
    {
        nodes.StartSensors(["--sensors", "20", "--steady-temperature", "20", "--node-name", "queued", .. ReadingsQueue, .. ledgers.Flag("sensors")]);
        await Eventually.Assert(() => Assert.True(ledgers.Accepted >= readings, $"{ledgers.Accepted} accepted so far"), TimeSpan.FromSeconds(120));
    }
}
