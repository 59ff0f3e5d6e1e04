using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;

namespace ActorDemo.Bench.Fleet;

/// <summary>
/// The whole pipeline after an outage: the sensor node publishes to a RabbitMQ queue while no
/// aggregator runs, then stops (its last line says how many readings the broker accepted: the
/// backlog); the aggregators start and the run measures how long their readings links take to
/// accept the whole backlog, read with <c>cmd amqp show</c> as an operator would.
/// </summary>
internal static partial class OutageDrain
{
    private static readonly TimeSpan Start = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly string Readings = RabbitMqFixture.Queue("temperature");

    public const string Header = "| sensors | interval | outage | aggregators | flags | backlog | drained in | drain readings/s | from process start |\n|---:|---:|---:|---:|---|---:|---:|---:|---:|";

    public static async Task<string> MeasureAsync(FleetOptions options, int sensors, TimeSpan outage)
    {
        var running = new Stack<IAsyncDisposable>();
        var state = Directory.CreateTempSubdirectory("actordemo-drain-");
        try
        {
            var broker = await RabbitMqFixture.StartAsync();
            running.Push(broker);
            var seedPort = Loopback.FreePort();
            var inspection = Enumerable.Range(0, options.Aggregators).Select(_ => $"127.0.0.1:{Loopback.FreePort()}").ToList();
            var seed = $"akka.tcp://actordemo@127.0.0.1:{seedPort}";
            string[] onQueue = ["--amqp-url", broker.Url, "--address", Readings, "--seeds", seed];

            var sensorNode = ExternalProcess.Start(FleetRun.Executable("Sensors"), [
                .. onQueue, "--port", "0", "--sensors", sensors.ToString(CultureInfo.InvariantCulture), "--interval", options.Interval, .. options.SensorFlags], options.NodeEnvironment);
            running.Push(sensorNode);
            await sensorNode.WaitForLineAsync(l => l.Contains($"AMQP link to '{Readings}'") && l.Contains("attached"), Start);
            await Task.Delay(outage);
            sensorNode.Terminate();
            await sensorNode.WaitForExitAsync(Start);
            var backlog = Backlog(sensorNode.Lines);

            var started = Stopwatch.StartNew();
            for (var i = 0; i < options.Aggregators; i++)
            {
                running.Push(ExternalProcess.Start(FleetRun.Executable("Aggregator"), [
                    .. onQueue, "--max-address", "", "--port", i == 0 ? seedPort.ToString(CultureInfo.InvariantCulture) : "0",
                    "--inspection-port", inspection[i].Split(':')[1], "--management-port", "0",
                    "--state-dir", Path.Combine(state.FullName, i.ToString(CultureInfo.InvariantCulture)), .. options.AggregatorFlags], options.NodeEnvironment));
            }

            // From the first reading taken to the last of the backlog accepted, summed over the aggregator nodes.
            var drain = new Stopwatch();
            long accepted;
            do
            {
                await Task.Delay(Poll);
                accepted = (await Task.WhenAll(inspection.Select(AcceptedAsync))).Sum();
                if (accepted > 0 && !drain.IsRunning)
                {
                    drain.Start();
                }
            }
            while (accepted < backlog && started.Elapsed < Start + outage);

            var seconds = drain.Elapsed.TotalSeconds;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"| {sensors:N0} | {options.Interval} | {outage.TotalSeconds:0} s | {options.Aggregators} | {options.Flags} | {backlog:N0} | {(accepted < backlog ? $"not within {(Start + outage).TotalSeconds:0} s ({accepted:N0})" : $"{seconds:0.0} s")} | {backlog / seconds:N0} | {started.Elapsed.TotalSeconds:0.0} s |");
        }
        finally
        {
            while (running.TryPop(out var process))
            {
                await process.DisposeAsync();
            }

            state.Delete(recursive: true);
        }
    }

    /// <summary>What the broker accepted, from the sensor node's last line.</summary>
    private static long Backlog(IReadOnlyList<string> lines) =>
        lines.Select(l => StoppedLine().Match(l)).LastOrDefault(m => m.Success) is { } stopped
            ? long.Parse(stopped.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("The sensor node stopped without saying how many readings were accepted.");

    /// <summary>Readings the cluster's readings links accepted so far, every aggregator node's.</summary>
    private static async Task<long> AcceptedAsync(string inspection)
    {
        await using var cmd = ExternalProcess.Start(FleetRun.Executable("Aggregator"), "cmd", inspection, "amqp", "show", "--json");
        if (await cmd.WaitForExitAsync(TimeSpan.FromSeconds(30)) != 0)
        {
            return 0;
        }

        return JsonDocument.Parse(string.Join('\n', cmd.Lines)).RootElement.GetProperty("links").EnumerateArray()
            .Where(l => l.GetProperty("address").GetString() == Readings)
            .Sum(l => l.GetProperty("accepted").GetInt64());
    }

    [GeneratedRegex(@"Publisher stopped: [\d,]+ readings offered, ([\d,]+) accepted")]
    private static partial Regex StoppedLine();
}
