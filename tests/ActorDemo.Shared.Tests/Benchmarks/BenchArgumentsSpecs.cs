using ActorDemo.Bench;
using Xunit;

namespace ActorDemo.Shared.Tests.Benchmarks;

/// <summary>How a benchmark program reads its command line (<see cref="BenchArguments.Parse"/>).</summary>
public sealed class BenchArgumentsSpecs
{
    private static readonly BenchFlag[] Flags =
    [
        new("--sensors", "N,N,...", "fleet sizes", "5000,20000"),
        new("--sensor-flags", "\"...\"", "flags for the sensor node"),
        BenchFlag.Switch("--reference", "run the reference too"),
    ];

    [Fact]
    public void Declared_flags_give_their_values_and_switches_stand_alone()
    {
        var (given, error) = BenchArguments.Parse(["--sensors", "5000,20000", "--reference"], Flags);

        Assert.Null(error);
        Assert.Equal("5000,20000", given["--sensors"]);
        Assert.True(given.ContainsKey("--reference"));
    }

    [Fact]
    public void An_undeclared_flag_is_named_with_the_flags_the_benchmark_takes()
    {
        var (_, error) = BenchArguments.Parse(["--sensorz", "5000"], Flags);

        Assert.Equal("'--sensorz' is not an argument of this benchmark; it takes --reference, --sensor-flags, --sensors (--help says what each does).", error);
    }

    [Fact]
    public void A_flag_followed_by_another_flag_lacks_its_value()
    {
        var (_, error) = BenchArguments.Parse(["--sensors", "--reference"], Flags);

        Assert.Equal("--sensors needs a value after it (N,N,...).", error);
    }

    [Fact]
    public void A_flag_at_the_end_lacks_its_value()
    {
        var (_, error) = BenchArguments.Parse(["--sensors"], Flags);

        Assert.Equal("--sensors needs a value after it (N,N,...).", error);
    }

    [Fact]
    public void A_value_may_hold_flags_handed_on_to_a_node()
    {
        var (given, error) = BenchArguments.Parse(["--sensor-flags", "--max-in-flight 60000"], Flags);

        Assert.Null(error);
        Assert.Equal("--max-in-flight 60000", given["--sensor-flags"]);
    }

    [Fact]
    public void A_flag_given_twice_is_refused()
    {
        var (_, error) = BenchArguments.Parse(["--sensors", "1", "--sensors", "2"], Flags);

        Assert.Equal("--sensors is given twice; give it once.", error);
    }

    [Fact]
    public void The_usage_shows_each_flag_with_its_value_its_meaning_and_its_default_from_its_declaration()
    {
        var usage = BenchArguments.Usage("A benchmark.", Flags).Split('\n');

        Assert.Equal("A benchmark.", usage[0]);
        Assert.Matches(@"^  --sensors N,N,\.\.\. +fleet sizes \(default 5000,20000\)$", usage[1]);
        Assert.Matches(@"^  --reference +run the reference too$", usage[3]);
    }
}
