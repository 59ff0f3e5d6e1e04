using System.Globalization;

namespace ActorDemo.Bench.Fleet;

/// <summary>
/// What a fleet benchmark run measures (<see cref="CommandLine"/>). <c>--node-env</c> runs every node, and the
/// reference, with those variables, e.g. the runtime settings the node image sets (Dockerfile). With
/// <c>--outage</c> the run measures instead how fast the aggregators drain a RabbitMQ queue that the
/// sensors filled for that long while none ran (<see cref="OutageDrain"/>). With <c>--profile</c> the
/// sensor node and the first aggregator are sampled with Linux perf over the measured seconds; the
/// sampling costs CPU, so a profiled row is not a figure.
/// </summary>
internal sealed record FleetOptions(
    IReadOnlyList<int> Sensors,
    string Interval,
    TimeSpan Measure,
    TimeSpan Warmup,
    string Router,
    int Aggregators,
    int? LinkCapacity,
    IReadOnlyList<string> SensorFlags,
    IReadOnlyList<string> AggregatorFlags,
    IReadOnlyDictionary<string, string> NodeEnvironment,
    bool Reference,
    int? ReferenceMessages,
    string? ProfileDirectory,
    TimeSpan? Outage)
{
    public const string Embedded = "embedded";
    public const string QpidDispatch = "qpid-dispatch";

    public string Flags => string.Join("; ", new[]
        {
            SensorFlags.Count + AggregatorFlags.Count == 0 ? "defaults" : null,
            AggregatorFlags.Count > 0 ? $"aggregators: {string.Join(' ', AggregatorFlags)}" : null,
            SensorFlags.Count > 0 ? $"sensors: {string.Join(' ', SensorFlags)}" : null,
            NodeEnvironment.Count > 0 ? $"env {string.Join(' ', NodeEnvironment.Select(v => $"{v.Key}={v.Value}"))}" : null,
        }.OfType<string>());

    public string RouterName => Router == QpidDispatch ? $"Qpid Dispatch, linkCapacity {LinkCapacity?.ToString(CultureInfo.InvariantCulture) ?? "250 (default)"}" : "embedded";

    public const string What =
        "ActorDemo.Bench.Fleet: a sensor fleet and aggregators as the Release executables, through the embedded router or Qpid Dispatch.";

    public static readonly BenchFlag[] CommandLine =
    [
        new("--sensors", "N,N,...", "fleet sizes, one row each", "5000,20000"),
        new("--interval", "DURATION", "each sensor's interval, as the sensor node's --interval takes it", "1s"),
        new("--seconds", "N", "seconds measured", "60"),
        new("--warmup", "N", "seconds of warm-up before", "15"),
        new("--router", "NAME", $"{Embedded} or {QpidDispatch}", Embedded),
        new("--aggregators", "N", "aggregator nodes", "1"),
        new("--link-capacity", "N", "Qpid Dispatch's linkCapacity; without it, Dispatch's own (250)"),
        new("--sensor-flags", "\"...\"", "flags for the sensor node"),
        new("--aggregator-flags", "\"...\"", "flags for every aggregator node"),
        new("--node-env", "\"NAME=VALUE ...\"", "environment of every node and of the reference, e.g. DOTNET_GCgen0size=0x4000000 as the images set it"),
        BenchFlag.Switch("--reference", "run the transport benchmark afterwards through the same router: the reference of the same run"),
        new("--reference-messages", "N", "messages the reference measures (without it, the transport benchmark's own default); more give a sustained rate, not a burst"),
        new("--profile", "DIR", "sample the sensor node and the first aggregator with Linux perf into DIR"),
        new("--outage", "SECONDS", "instead: how fast the aggregators drain a RabbitMQ queue filled for that long"),
    ];

    /// <summary>The run <paramref name="arguments"/> ask for; one that cannot be used ends the program.</summary>
    public static FleetOptions From(BenchArguments arguments)
    {
        var router = arguments.Choice("--router", [Embedded, QpidDispatch])!;
        var environment = new Dictionary<string, string>();
        foreach (var variable in arguments.Words("--node-env"))
        {
            if (variable.Split('=', 2) is not [{ Length: > 0 } name, var value])
            {
                arguments.Fail($"--node-env takes NAME=VALUE words, e.g. DOTNET_GCgen0size=0x4000000, not '{variable}'.");
            }
            else
            {
                environment[name] = value;
            }
        }

        if (arguments.Has("--reference-messages") && !arguments.Has("--reference"))
        {
            arguments.Fail("--reference-messages sets how long the reference runs; add --reference to run it.");
        }

        var profile = arguments.Text("--profile");
        if (profile is not null && !CpuProfile.HasPerf)
        {
            arguments.Fail("--profile samples the nodes with Linux perf, which is not on PATH: install it (Debian: apt install linux-perf) or leave --profile out.");
        }

        return new FleetOptions(
            arguments.Numbers("--sensors"),
            arguments.Text("--interval")!,
            TimeSpan.FromSeconds(arguments.Number("--seconds")),
            TimeSpan.FromSeconds(arguments.Number("--warmup")),
            router,
            arguments.Number("--aggregators"),
            arguments.Has("--link-capacity") ? arguments.Number("--link-capacity") : null,
            arguments.Words("--sensor-flags"),
            arguments.Words("--aggregator-flags"),
            environment,
            arguments.Has("--reference"),
            arguments.Has("--reference-messages") ? arguments.Number("--reference-messages") : null,
            profile,
            arguments.Has("--outage") ? TimeSpan.FromSeconds(arguments.Number("--outage")) : null);
    }

    public string Describe() => Outage is { } outage
        ? $"the sensors publish to a RabbitMQ queue for {outage.TotalSeconds:0} s while no aggregator runs, then the aggregators drain it; each node a Release executable of its own"
        : $"{Measure.TotalSeconds:0} s measured after {Warmup.TotalSeconds:0} s of warm-up; each node a Release executable of its own";
}
