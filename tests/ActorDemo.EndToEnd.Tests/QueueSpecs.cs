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
    public async Task Readings_published_for_60_s_while_no_aggregator_runs_are_all_counted_once_two_aggregators_start()
    {
        await using var broker = await RabbitMqFixture.StartAsync();
        await using var ledgers = new ReadingLedgers();
        await using var nodes = new Nodes(broker.Url, line => Output?.WriteLine(line));
        // 20 sensors every 200 ms: 100 readings a second, 6,000 in the minute no aggregator runs.
        nodes.StartSensors(["--sensors", "20", "--steady-temperature", "20", "--node-name", "queued", .. ReadingsQueue, .. ledgers.Flag("sensors")]);
        await Eventually.Assert(() => Assert.True(ledgers.Accepted >= 6_000, $"{ledgers.Accepted} accepted so far"), TimeSpan.FromSeconds(120));

        var maxima = WindowMaxima.Read(broker.Url, Sys.Materializer(), RabbitMqFixture.Queue("max"));
        var first = nodes.StartAggregator([.. OnQueues, .. ledgers.Flag("aggregator")]);
        var second = nodes.StartAnotherAggregator(Loopback.FreePort(), [.. OnQueues, .. ledgers.Flag("aggregator")]);
        await Nodes.AttachedAsync(first, Readings);
        await Nodes.AttachedAsync(second, Readings);
        await first.WaitForLineAsync(_ => first.Lines.Count(l => l.Contains("Cluster member up:")) == 3, Formation);

        var totals = await Nodes.StopSensorsAsync(nodes.Inspection);
        Assert.True(totals.AllAccepted, totals.ToString());
        var reconciled = await ledgers.EveryAcceptedReadingStandsAsync(maxima, totals.Accepted, Formation);
        Output!.WriteLine($"{totals}; reconciled: {reconciled}");
    }
}
