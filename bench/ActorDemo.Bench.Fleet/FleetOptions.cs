using System.Globalization;

namespace ActorDemo.Bench.Fleet;

/// <summary>
/// <c>[--sensors 5000,20000] [--interval 1s] [--seconds 60] [--warmup 15] [--router embedded|qpid-dispatch]
/// [--aggregators 1] [--link-capacity N] [--sensor-flags "..."] [--aggregator-flags "..."] [--node-env "NAME=VALUE ..."]
/// [--reference] [--profile DIR] [--outage SECONDS]</c>. <c>--node-env</c> runs every node, and the
/// reference, with those variables, e.g. the runtime settings the node image sets (Dockerfile). With <c>--outage</c> the run measures instead how fast the aggregators
/// drain a RabbitMQ queue that the sensors filled for that long while none ran (<see cref="OutageDrain"/>).
/// With <c>--profile</c> the sensor node and the first aggregator are sampled with Linux perf over
/// the measured seconds, into DIR; the sampling costs CPU, so a profiled row is not a figure.
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

    public static FleetOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Number(string name, int fallback) => int.TryParse(Value(name), out var n) && n > 0 ? n : fallback;
        string[] Words(string name) => (Value(name) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var router = Value("--router") ?? Embedded;
        if (router is not (Embedded or QpidDispatch))
        {
            throw new ArgumentException($"--router takes {Embedded} or {QpidDispatch}, not '{router}'.");
        }

        var environment = new Dictionary<string, string>();
        foreach (var variable in Words("--node-env"))
        {
            var (name, value) = variable.Split('=', 2) is [var n, var v] && n.Length > 0
                ? (n, v)
                : throw new ArgumentException($"--node-env takes NAME=VALUE words, e.g. DOTNET_GCgen0size=0x4000000, not '{variable}'.");
            environment[name] = value;
        }

        var profile = Value("--profile");
        if (profile is not null)
        {
            CpuProfile.RequirePerf();
        }

        return new FleetOptions(
            (Value("--sensors") ?? "5000,20000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(),
            Value("--interval") ?? "1s",
            TimeSpan.FromSeconds(Number("--seconds", 60)),
            TimeSpan.FromSeconds(Number("--warmup", 15)),
            router,
            Number("--aggregators", 1),
            int.TryParse(Value("--link-capacity"), out var capacity) ? capacity : null,
            Words("--sensor-flags"),
            Words("--aggregator-flags"),
            environment,
            args.Contains("--reference"),
            profile,
            Value("--outage") is { } outage ? TimeSpan.FromSeconds(int.Parse(outage, CultureInfo.InvariantCulture)) : null);
    }

    public string Describe() => Outage is { } outage
        ? $"the sensors publish to a RabbitMQ queue for {outage.TotalSeconds:0} s while no aggregator runs, then the aggregators drain it; each node a Release executable of its own"
        : $"{Measure.TotalSeconds:0} s measured after {Warmup.TotalSeconds:0} s of warm-up; each node a Release executable of its own";
}
