using System.Diagnostics;
using System.Text;
using ActorDemo.Bench.Transport;

// Transport benchmark: N readings from a sender through the embedded router to a receiver, once
// through ActorDemo's stream stages (at-least-once and at-most-once) and once through a plain
// AMQPNetLite sender and receiver, the ceiling. Each scenario runs in a fresh process so that its
// peak memory is its own.
var messages = Arguments.Int(args, "--messages", 200_000);
var scenario = Arguments.String(args, "--scenario", null);

if (scenario is not null)
{
    var result = await Scenarios.RunAsync(scenario, messages);
    Console.WriteLine(result.ToLine());
    return 0;
}

Console.WriteLine($"# {messages:N0} messages of {Scenarios.Payload.Length} bytes, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine("| scenario | messages/s | seconds | peak working set (MiB) |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var name in Scenarios.Names)
{
    // Started with `dotnet run` or `dotnet X.dll`, the host is dotnet and needs the assembly named.
    var host = Environment.ProcessPath!;
    var viaDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
    var info = new ProcessStartInfo(host) { RedirectStandardOutput = true };
    var self = viaDotnet ? new[] { typeof(Result).Assembly.Location } : [];
    foreach (var a in self.Concat(["--scenario", name, "--messages", messages.ToString()]))
    {
        info.ArgumentList.Add(a);
    }

    using var child = Process.Start(info)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    Console.WriteLine(child.ExitCode == 0 ? output.Trim() : $"| {name} | failed (exit {child.ExitCode}) | | |");
}

return 0;

namespace ActorDemo.Bench.Transport
{
    internal static class Arguments
    {
        public static int Int(string[] args, string name, int fallback) =>
            int.TryParse(String(args, name, null), out var value) && value > 0 ? value : fallback;

        public static string? String(string[] args, string name, string? fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
    }

    internal sealed record Result(string Scenario, int Messages, TimeSpan Elapsed)
    {
        public string ToLine() =>
            $"| {Scenario} | {Messages / Elapsed.TotalSeconds:N0} | {Elapsed.TotalSeconds:F2} | {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} |";
    }

    internal static partial class Scenarios
    {
        public static readonly byte[] Payload = Encoding.UTF8.GetBytes(
            """{"device-id":"sensor-node1-0007","temperature":22.4,"timestamp":"2026-11-25T07:40:05.123Z","seq":42}""");
    }
}
