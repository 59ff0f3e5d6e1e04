using System.Diagnostics;
using ActorDemo.Bench.Pipeline;

// Pipeline benchmarks. Each measurement runs in a fresh process (this program with --scenario), so
// that memory and CPU are its own; the table rows are what the children print.
var measure = TimeSpan.FromSeconds(Number("--seconds", 20));
var scenario = Text("--scenario");
if (scenario is not null)
{
    var row = scenario switch
    {
        "density" => await Scenarios.DensityAsync(Number("--sensors", 1000), measure),
        "throughput" => await Scenarios.ThroughputAsync(Number("--sensors", 1000), TimeSpan.FromMilliseconds(Number("--interval-ms", 100)), measure),
        "latency" => await Scenarios.LatencyAsync(Number("--sensors", 10), TimeSpan.FromMilliseconds(Number("--interval-ms", 1000)), TimeSpan.FromMilliseconds(Number("--window-ms", 100)), measure),
        "buffer" => await BufferScenario.RunAsync(Number("--readings", 5_000_000), Number("--capacity", 100_000)),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}': use density, throughput, latency or buffer."),
    };
    Console.WriteLine(row);
    return 0;
}

var only = Text("--only");
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

async Task Child(string name, params string[] arguments)
{
    var host = Environment.ProcessPath!;
    var viaDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
    var info = new ProcessStartInfo(host) { RedirectStandardOutput = true };
    var all = (viaDotnet ? new[] { typeof(Scenarios).Assembly.Location } : []).Concat(["--scenario", name, "--seconds", measure.TotalSeconds.ToString()]).Concat(arguments);
    foreach (var argument in all)
    {
        info.ArgumentList.Add(argument);
    }

    using var child = Process.Start(info)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    var row = output.Split('\n').LastOrDefault(l => l.StartsWith('|'));
    Console.WriteLine(child.ExitCode == 0 && row is not null ? row.Trim() : $"| {name} {string.Join(' ', arguments)} | failed (exit {child.ExitCode}) |");
}

int Number(string name, int fallback) => int.TryParse(Text(name), out var value) && value > 0 ? value : fallback;

string? Text(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
