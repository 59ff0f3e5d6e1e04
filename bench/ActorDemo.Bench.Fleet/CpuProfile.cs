using System.Globalization;
using ActorDemo.Testing;

namespace ActorDemo.Bench.Fleet;

/// <summary>
/// Where a node's CPU goes over the measured seconds: Linux <c>perf</c> samples the process (99 Hz,
/// with call stacks), and the runtime names its JIT-compiled methods for perf in
/// <c>/tmp/perf-PID.map</c> when started with <see cref="Environment"/> (which also turns off W^X,
/// whose double-mapped code pages perf cannot match to that map). The report lists methods by
/// the share of samples spent in them (self) and under them (with callees).
/// </summary>
internal static class CpuProfile
{
    /// <summary>What a node process needs in its environment to be profiled by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["DOTNET_PerfMapEnabled"] = "1",
        ["DOTNET_EnableWriteXorExecute"] = "0",
    };

    /// <summary>Starts sampling <paramref name="pid"/> for <paramref name="duration"/>, into <paramref name="data"/>.</summary>
    public static ExternalProcess Record(int pid, string data, TimeSpan duration) =>
        ExternalProcess.Start(
            Perf(), "record", "-F", "99", "-g", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", data,
            "--", "sleep", duration.TotalSeconds.ToString("0", CultureInfo.InvariantCulture));

    /// <summary>Writes the self and with-callees tables of <paramref name="data"/> beside it, and returns the self table's top lines.</summary>
    public static async Task<IReadOnlyList<string>> ReportAsync(ExternalProcess recorder, string data, TimeSpan within)
    {
        if (await recorder.WaitForExitAsync(within) != 0)
        {
            throw new InvalidOperationException($"perf record failed: {string.Join(" / ", recorder.Lines.TakeLast(3))}");
        }

        var self = await TableAsync(data, "--no-children");
        var inclusive = await TableAsync(data, "--children");
        await File.WriteAllLinesAsync(data + ".self.txt", self);
        await File.WriteAllLinesAsync(data + ".children.txt", inclusive);
        return self.Where(l => l.Length > 0 && !l.StartsWith('#')).Take(15).ToList();
    }

    private static async Task<IReadOnlyList<string>> TableAsync(string data, string mode)
    {
        await using var report = ExternalProcess.Start(
            Perf(), "report", "-i", data, mode, "--sort", "symbol", "-g", "none", "--percent-limit", "0.5", "--stdio");
        await report.WaitForExitAsync(TimeSpan.FromMinutes(5));
        return report.Lines;
    }

    /// <summary>Whether Linux perf is on PATH; the options check it before a run starts.</summary>
    public static bool HasPerf => FindPerf() is not null;

    private static string Perf() => FindPerf() ?? throw new InvalidOperationException("Linux perf is not on PATH.");

    private static string? FindPerf() =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "perf")).FirstOrDefault(File.Exists);
}
