using System.Diagnostics;
using ActorDemo.Bench;
using ActorDemo.Bench.Pipeline;

// Pipeline benchmarks. Each measurement runs in a fresh process (this program with --scenario), so
// that memory and CPU are its own; the table rows are what the children print.
string[] parts = ["density", "throughput", "latency", "buffer"];
var arguments = BenchArguments.Read(
    args,
    "ActorDemo.Bench.Pipeline: sensor density, throughput, window latency and the publisher's buffer, each measurement a process of its own.",
    [
        new("--only", "NAME", $"one part: {string.Join(", ", parts)}; without it, all (about 8 minutes)"),
        new("--seconds", "N", "seconds measured a row", "20"),
        // What a run starts this program with for one measurement; each scenario has its defaults.
        new("--scenario", "NAME", "one measurement, as a run starts it"),
        new("--sensors", "N", "with --scenario: sensors"),
        new("--interval-ms", "N", "with --scenario: each sensor's interval"),
        new("--window-ms", "N", "with --scenario latency: the window"),
        new("--readings", "N", "with --scenario buffer: readings offered", "5000000"),
        new("--capacity", "N", "with --scenario buffer: the buffer's capacity", "100000"),
    ]);
var measure = TimeSpan.FromSeconds(arguments.Number("--seconds"));
var scenario = arguments.Choice("--scenario", parts);
if (scenario is not null)
{
    var row = scenario switch
    {
        "density" => await Scenarios.DensityAsync(arguments.Number("--sensors"), measure),
        "throughput" => await Scenarios.ThroughputAsync(arguments.Number("--sensors"), TimeSpan.FromMilliseconds(arguments.Number("--interval-ms")), measure),
        "latency" => await Scenarios.LatencyAsync(
            arguments.Number("--sensors"), TimeSpan.FromMilliseconds(arguments.Number("--interval-ms")), TimeSpan.FromMilliseconds(arguments.Number("--window-ms")), measure),
        _ => await BufferScenario.RunAsync(arguments.Number("--readings"), arguments.Number("--capacity")),
    };
    Console.WriteLine(row);
    return 0;
}

var only = arguments.Choice("--only", parts);
Console.WriteLine($"# {Environment.ProcessorCount} cores, .NET {Environment.Version}, {measure.TotalSeconds:N0} s measured after warm-up");
if (only is null or "density")
{
    Console.WriteLine();
    Console.WriteLine("## Sensor density (1 Hz each)");
    Console.WriteLine("| sensors | create (s) | managed B/sensor | working set B/sensor | working set (MiB) | CPU % | offered/s | accepted/s | dropped/s |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var sensors in new[] { 1_000, 10_000, 100_000 })
    {
        await Child("density", "--sensors", sensors.ToString());
    }
}

if (only is null or "throughput")
{
    Console.WriteLine();
    Console.WriteLine("## Readings/s from sensor actors to the aggregator, at-least-once");
    Console.WriteLine("| load | offered/s | at the aggregator/s | dropped/s | sensor node CPU % | aggregator CPU % |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var sensors in new[] { 2_500, 5_000, 10_000, 15_000 })
    {
        await Child("throughput", "--sensors", sensors.ToString(), "--interval-ms", "100");
    }
}

if (only is null or "latency")
{
    Console.WriteLine();
    Console.WriteLine("## From a window's close to the aggregator actor");
    Console.WriteLine("| load | window | windows | p50 (ms) | p99 (ms) | max (ms) |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    await Child("latency", "--sensors", "10", "--interval-ms", "1000", "--window-ms", "100");
    await Child("latency", "--sensors", "2000", "--interval-ms", "100", "--window-ms", "100");
}

if (only is null or "buffer")
{
    Console.WriteLine();
    Console.WriteLine("## The publisher's buffer, one writer as fast as it can");
    Console.WriteLine("| capacity | offered | offered/s | through the stream/s | taken | dropped | allocated B/reading |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var capacity in new[] { "100000", "5000000" })
    {
        await Child("buffer", "--capacity", capacity);
    }
}

return 0;

async Task Child(string name, params string[] flags)
{
    var host = Environment.ProcessPath!;
    var viaDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
    var info = new ProcessStartInfo(host) { RedirectStandardOutput = true };
    var all = (viaDotnet ? new[] { typeof(Scenarios).Assembly.Location } : []).Concat(["--scenario", name, "--seconds", measure.TotalSeconds.ToString()]).Concat(flags);
    foreach (var argument in all)
    {
        info.ArgumentList.Add(argument);
    }

    using var child = Process.Start(info)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    var row = output.Split('\n').LastOrDefault(l => l.StartsWith('|'));
    Console.WriteLine(child.ExitCode == 0 && row is not null ? row.Trim() : $"| {name} {string.Join(' ', flags)} | failed (exit {child.ExitCode}) |");
}
