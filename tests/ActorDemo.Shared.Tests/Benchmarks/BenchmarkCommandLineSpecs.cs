using ActorDemo.Bench;
using ActorDemo.Testing;
using Xunit;

namespace ActorDemo.Shared.Tests.Benchmarks;

/// <summary>
/// Every benchmark program, run as built: a command line it cannot use ends it before it starts
/// anything, with one line on standard error that names the argument and the exit status the nodes give; --help
/// prints what it takes.
/// </summary>
public sealed class BenchmarkCommandLineSpecs
{
    public static readonly TheoryData<string> Programs = new()
    {
        "ActorDemo.Bench.Connections",
        "ActorDemo.Bench.Fleet",
        "ActorDemo.Bench.Pipeline",
        "ActorDemo.Bench.Pods",
        "ActorDemo.Bench.Soak",
        "ActorDemo.Bench.Transport",
    };

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task An_unknown_flag_ends_the_benchmark_with_status_2_and_names_the_flag(string program)
    {
        await using var run = ExternalProcess.Start(BuiltExecutables.Benchmark(program), "--sensorz", "5000");

        Assert.Equal(BenchArguments.UsageError, await run.WaitForExitAsync(Within));
        Assert.Contains(run.Lines, line => line.StartsWith("stderr: error: '--sensorz' is not an argument of this benchmark", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Help_prints_the_usage_and_exits_0(string program)
    {
        await using var run = ExternalProcess.Start(BuiltExecutables.Benchmark(program), "--help");

        Assert.Equal(0, await run.WaitForExitAsync(Within));
        Assert.StartsWith($"{program}: ", run.Lines[0], StringComparison.Ordinal);
        Assert.Contains(run.Lines, line => line.TrimStart().StartsWith("--", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_the_benchmark_cannot_read_is_named_with_what_it_takes()
    {
        await using var run = ExternalProcess.Start(BuiltExecutables.Benchmark("ActorDemo.Bench.Fleet"), "--sensors", "5000,many");

        Assert.Equal(BenchArguments.UsageError, await run.WaitForExitAsync(Within));
        Assert.Contains("stderr: error: --sensors takes whole numbers of at least 1, not 'many'.", run.Lines);
    }

    [Fact]
    public async Task A_reference_length_without_the_reference_is_refused_with_what_runs_it()
    {
        await using var run = ExternalProcess.Start(BuiltExecutables.Benchmark("ActorDemo.Bench.Fleet"), "--reference-messages", "2000000");

        Assert.Equal(BenchArguments.UsageError, await run.WaitForExitAsync(Within));
        Assert.Contains("stderr: error: --reference-messages sets how long the reference runs; add --reference to run it.", run.Lines);
    }
}
