using System.Globalization;
using System.Text.Json;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;

namespace ActorDemo.Bench.Fleet;

/// <summary>One fleet size: router, aggregators and one sensor node started, warmed up, measured, stopped.</summary>
internal static class FleetRun
{
    private static readonly TimeSpan Start = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(5);

    /// <summary>One of the executables built beside this program.</summary>
    public static string Executable(string name) => Path.Combine(AppContext.BaseDirectory, $"ActorDemo.{name}");

    public static async Task<string> MeasureAsync(FleetOptions options, int sensors)
    {
        var running = new Stack<IAsyncDisposable>();
        var environment = new Dictionary<string, string>(options.NodeEnvironment);
        if (options.ProfileDirectory is not null)
        {
            // perf names methods only with these, so they win over the same names in --node-env.
            foreach (var (name, value) in CpuProfile.Environment)
            {
                environment[name] = value;
            }
        }

        var state = Directory.CreateTempSubdirectory("actordemo-fleet-");
        try
        {
            var (seedPort, inspectionPort, routerPort) = (Loopback.FreePort(), Loopback.FreePort(), Loopback.FreePort());
            var seed = $"akka.tcp://actordemo@127.0.0.1:{seedPort}";
            var url = $"amqp://127.0.0.1:{routerPort}";

            // The first aggregator serves the embedded router; every other node reaches it, or Qpid Dispatch, by URL.
            string[] byUrl = ["--amqp-url", url];
            string[] first = ["--router-port", routerPort.ToString(CultureInfo.InvariantCulture)];
            if (options.Router == FleetOptions.QpidDispatch)
            {
                running.Push(await QpidDispatchFixture.StartAsync(routerPort, QpidDispatchConfig.Standalone(routerPort, options.LinkCapacity, "temperature", "max")));
                first = byUrl;
            }

            var aggregators = new List<ExternalProcess>();
            for (var i = 0; i < options.Aggregators; i++)
            {
                var aggregator = ExternalProcess.Start(Executable("Aggregator"), [
                    .. i == 0 ? first : byUrl, "--port", i == 0 ? seedPort.ToString(CultureInfo.InvariantCulture) : "0", "--seeds", seed,
                    "--inspection-port", i == 0 ? inspectionPort.ToString(CultureInfo.InvariantCulture) : "0", "--management-port", "0",
                    "--state-dir", Path.Combine(state.FullName, i.ToString(CultureInfo.InvariantCulture)), .. options.AggregatorFlags], environment);
                running.Push(aggregator);
                aggregators.Add(aggregator);
                await aggregator.WaitForLineAsync(l => Nodes.SaysAttached(l), Start);
            }

            var sensorNode = ExternalProcess.Start(Executable("Sensors"), [
                .. byUrl, "--seeds", seed, "--port", "0", "--sensors", sensors.ToString(CultureInfo.InvariantCulture), "--interval", options.Interval, .. options.SensorFlags],
                environment);
            running.Push(sensorNode);
            await aggregators[0].WaitForLineAsync(l => l.Contains("Cluster member up:") && l.Contains("[sensor]"), Start);
            await Task.Delay(options.Warmup);

            var inspection = $"127.0.0.1:{inspectionPort}";
            var before = await SensorCounts(inspection);
            var linesBefore = sensorNode.Lines.Count;
            var profiles = ProfileNodes(options, sensors, ("sensors", sensorNode), ("aggregator", aggregators[0]));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (sensorRss, aggregatorRss) = (0L, 0L);
            while (clock.Elapsed < options.Measure)
            {
                await Task.Delay(Sample < options.Measure - clock.Elapsed ? Sample : options.Measure - clock.Elapsed);
                sensorRss = Math.Max(sensorRss, Rss(sensorNode.Id));
                aggregatorRss = Math.Max(aggregatorRss, aggregators.Max(a => Rss(a.Id)));
            }

            var after = await SensorCounts(inspection);
            foreach (var (recorder, data) in profiles)
            {
                var top = await CpuProfile.ReportAsync(recorder, data, Start);
                await Console.Error.WriteLineAsync($"CPU profile {data} (self, top lines):{Environment.NewLine}{string.Join(Environment.NewLine, top)}");
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var (offered, accepted, dropped) = (after.Offered - before.Offered, after.Accepted - before.Accepted, after.Dropped - before.Dropped);
            // Only what the node said while measured, and only when the measure dropped any: the fleet's
            // creation may drop a burst in the warm-up, which a report early in the measure still names.
            var cause = dropped > 0 && sensorNode.Lines.Skip(linesBefore).LastOrDefault(l => l.Contains("Dropped") && l.Contains("readings in the last")) is { } line
                ? line[(line.IndexOf("full; ", StringComparison.Ordinal) + 6)..]
                : "";
            return string.Create(
                CultureInfo.InvariantCulture,
                $"| {sensors:N0} | {options.Interval} | {options.RouterName} | {options.Aggregators} | {options.Flags} | {offered / seconds:N0} | {accepted / seconds:N0} | {dropped:N0} | {(offered == 0 ? 0 : 100.0 * dropped / offered):0.0} | {sensorRss / 1024.0:N0} | {aggregatorRss / 1024.0:N0} | {cause} |");
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

    private static List<(ExternalProcess Recorder, string Data)> ProfileNodes(FleetOptions options, int sensors, params (string Name, ExternalProcess Node)[] nodes)
    {
        if (options.ProfileDirectory is not { } directory)
        {
            return [];
        }

        Directory.CreateDirectory(directory);
        return nodes.Select(n =>
        {
            var data = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{sensors}-{options.Interval}-{n.Name}.perf.data"));
            return (CpuProfile.Record(n.Node.Id, data, options.Measure), data);
        }).ToList();
    }

    private static async Task<(long Offered, long Accepted, long Dropped)> SensorCounts(string inspection)
    {
        await using var cmd = ExternalProcess.Start(Executable("Aggregator"), "cmd", inspection, "sensors", "show", "--json");
        await cmd.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var node = JsonDocument.Parse(string.Join('\n', cmd.Lines)).RootElement.GetProperty("nodes").EnumerateArray().Single();
        return (node.GetProperty("offered").GetInt64(), node.GetProperty("accepted").GetInt64(), node.GetProperty("dropped").GetInt64());
    }

    /// <summary>Resident memory of a process in KiB, from /proc.</summary>
    private static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
