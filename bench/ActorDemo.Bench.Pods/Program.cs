using System.Diagnostics;
using System.Globalization;
using ActorDemo.Bench;
using ActorDemo.Testing;
using ActorDemo.Testing.Pods;

// The images, and how long each pod of the router overlay takes from `podman kube play` to its
// readiness probe passing (PodLab replaces only what cannot run here). Beside each figure, the same
// published files started as a plain process on this machine, in the same round: what the
// container adds. Run as root after deploy/images/build-local.sh:
//   dotnet run -c Release --project bench/ActorDemo.Bench.Pods -- [--rounds N]
var rounds = BenchArguments.Read(
    args,
    "ActorDemo.Bench.Pods: image sizes, and each pod's time from `podman kube play` to ready beside the same files as a plain process (root, after deploy/images/build-local.sh).",
    [new("--rounds", "N", "rounds, of which the medians are given", "5")]).Number("--rounds");
var images = await PodLab.LocalImagesAsync();

Console.WriteLine("| image | size (MB) |");
Console.WriteLine("|---|---|");
foreach (var image in images)
{
    var bytes = long.Parse(await Podman.RunAsync("image", "inspect", "--format", "{{.Size}}", image), CultureInfo.InvariantCulture);
    Console.WriteLine($"| `{image}` | {bytes / 1e6:0} |");
}

var within = TimeSpan.FromSeconds(120);
var figures = new Dictionary<string, List<double>>();
void Add(string what, TimeSpan took) => (figures.TryGetValue(what, out var list) ? list : figures[what] = []).Add(took.TotalSeconds);

for (var round = 1; round <= rounds; round++)
{
    await using var lab = await PodLab.StartAsync("router");
    var router = await lab.ApplyAsync("actordemo-router");
    Add("router pod", await PodLab.WaitReadyAsync(router, within));
    var aggregator = await lab.ApplyAsync("aggregator");
    Add("aggregator pod", await PodLab.WaitReadyAsync(aggregator, within));
    var sensors = await lab.ApplyAsync("sensors");
    Add("sensors pod", await PodLab.WaitReadyAsync(sensors, within));

    // The same files, out of the image (podman image mount), as processes of this machine joining a
    // cluster of their own through the same router pod.
    var url = $"amqp://{router.Ip}:5672";
    await using var plainAggregator = await PlainNode.StartAsync(images.Single(i => i.Contains("/aggregator:")), "127.0.0.51", url, []);
    Add("aggregator process", await plainAggregator.WaitReadyAsync(within));
    await using var plainSensors = await PlainNode.StartAsync(images.Single(i => i.Contains("/sensors:")), "127.0.0.52", url, ["--sensors", "10"]);
    Add("sensors process", await plainSensors.WaitReadyAsync(within));
    Console.Error.WriteLine($"round {round}: " + string.Join(", ", figures.Select(f => $"{f.Key} {f.Value[^1]:0.0} s")));
}

Console.WriteLine();
Console.WriteLine($"| to /ready (s), {rounds} rounds | pod (kube play) | plain process, same files | difference |");
Console.WriteLine("|---|---|---|---|");
foreach (var role in new[] { "aggregator", "sensors" })
{
    var pod = Median(figures[$"{role} pod"]);
    var process = Median(figures[$"{role} process"]);
    Console.WriteLine($"| {role} | {pod:0.0} | {process:0.0} | {pod - process:+0.0;-0.0} |");
}

Console.WriteLine($"| router (Qpid Dispatch, /healthz) | {Median(figures["router pod"]):0.0} | | |");

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

/// <summary>A node run from its image's files as a process of this machine, on a loopback address of its own.</summary>
internal sealed class PlainNode(ExternalProcess process, string image, string ip, Stopwatch started) : IAsyncDisposable
{
    public static async Task<PlainNode> StartAsync(string image, string ip, string amqpUrl, string[] flags)
    {
        var root = (await Podman.RunAsync("image", "mount", image)).Trim();
        var started = Stopwatch.StartNew();
        var process = ExternalProcess.Start(
            Path.Combine(root, "app", "node"),
            [
                "--amqp-url", amqpUrl, "--hostname", ip, "--port", "4053", "--seeds", "akka.tcp://actordemo@127.0.0.51:4053",
                "--management-hostname", ip, "--management-port", "8558", "--inspection-hostname", ip, "--inspection-port", "9110", .. flags,
            ],
            new Dictionary<string, string>());
        return new PlainNode(process, image, ip, started);
    }

    public async Task<TimeSpan> WaitReadyAsync(TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await Eventually.Assert(
            async () =>
            {
                using var response = await http.GetAsync($"http://{ip}:8558/ready");
                Xunit.Assert.True(response.IsSuccessStatusCode);
            },
            within);
        return started.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        await Podman.TryAsync("image", "unmount", image);
    }
}
