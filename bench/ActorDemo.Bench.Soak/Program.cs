using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ActorDemo.Bench;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;

// Sensors -> Qpid Dispatch -> two aggregators, for --minutes, with the router killed (SIGKILL, then
// started again) at a third of the run and the second aggregator killed at two thirds. At the end
// the sensors stop, and what they saw accepted is compared with what the windows counted.
var arguments = BenchArguments.Read(
    args,
    "ActorDemo.Bench.Soak: sensors through Qpid Dispatch to two aggregators, the router killed at a third of the run and an aggregator at two thirds; what the sensors saw accepted against what the windows counted.",
    [
        new("--minutes", "N", "length of the run", "10"),
        new("--sensors", "N", "sensors at 5 Hz", "400"),
        new("--hostile-devices", "N", "instead: readings from ever new devices with 128-character ids, N a round; the aggregator's memory after each round"),
        new("--rounds", "N", "with --hostile-devices: rounds", "6"),
    ]);
if (arguments.Has("--hostile-devices"))
{
    return await HostileDevicesAsync(arguments.Number("--hostile-devices"), arguments.Number("--rounds"));
}

var minutes = arguments.Decimal("--minutes");
var sensorCount = arguments.Number("--sensors");
var duration = TimeSpan.FromMinutes(minutes);

await using var router = await QpidDispatchFixture.StartRouterOverlayAsync();
await using var nodes = new Nodes(router.Url);
var aggregator = nodes.StartAggregator("--history", "2000");
var secondInspection = Loopback.FreePort();
var second = nodes.StartAnotherAggregator(secondInspection, "--history", "2000");
await Nodes.AttachedAsync(aggregator);
await Nodes.AttachedAsync(second);
// Nodes starts sensor processes with a 200 ms interval: 5 readings a second each.
var sensors = nodes.StartSensors("--sensors", sensorCount.ToString(CultureInfo.InvariantCulture), "--max-in-flight", "50000");
await Nodes.AttachedAsync(sensors);
Console.WriteLine($"# soak: {sensorCount} sensors at 5 Hz ({sensorCount * 5:N0} readings/s) through Qpid Dispatch to 2 aggregators for {minutes} min");

var clock = Stopwatch.StartNew();
var processes = new Dictionary<string, Func<int?>>
{
    ["qdrouterd"] = () => router.ProcessId,
    ["aggregator 1 (singleton)"] = () => aggregator.HasExited ? null : aggregator.Id,
    ["aggregator 2"] = () => second.HasExited ? null : second.Id,
    ["sensors"] = () => sensors.HasExited ? null : sensors.Id,
};
await Task.Delay(TimeSpan.FromSeconds(30));
var rssAtStart = processes.ToDictionary(p => p.Key, p => Rss(p.Value()));

await Until(duration / 3);
Console.WriteLine($"{clock.Elapsed:mm\\:ss} killing the router (SIGKILL) and starting it again");
await router.RestartAsync();
await Until(duration * 2 / 3);
Console.WriteLine($"{clock.Elapsed:mm\\:ss} killing aggregator 2 (SIGKILL)");
var rssOfSecond = Rss(second.Id);
second.Kill();
await Until(duration);

var rssAtEnd = processes.ToDictionary(p => p.Key, p => Rss(p.Value()));
rssAtEnd["aggregator 2"] ??= rssOfSecond;
Console.WriteLine($"{clock.Elapsed:mm\\:ss} stopping the sensors");
long accepted;
try
{
    accepted = (await Nodes.StopSensorsAsync(nodes.Inspection)).Accepted;
}
catch (Exception e)
{
    // What stayed unsettled, and where: the sensors' links and the aggregators' logs.
    Console.WriteLine($"the sensors did not settle: {e.Message}");
    Console.WriteLine((await JsonAsync(nodes.Inspection, "sensors", "show", "--json")).ToString());
    Console.WriteLine((await JsonAsync(nodes.Inspection, "amqp", "show", "--json")).ToString());
    Console.WriteLine((await JsonAsync(SensorInspection(), "amqp", "show", "--json")).ToString());
    Console.WriteLine((await JsonAsync(nodes.Inspection, "windows", "show", "-n", "3", "--json")).ToString());
    foreach (var line in aggregator.Lines.Where(l => l.Contains("again") || l.Contains("AMQP")).Concat(sensors.Lines.Where(l => l.Contains("AMQP"))))
    {
        Console.WriteLine(line);
    }

    return 1;
}

var sensorNode = await SensorNodeAsync();
var links = await JsonAsync(SensorInspection(), "amqp", "show", "--json");

// The windows settle a few seconds after the last reading: wait until the count stops moving.
long counted = -1, duplicates = 0, late = 0;
for (var previous = -2L; counted != previous; await Task.Delay(TimeSpan.FromSeconds(5)))
{
    previous = counted;
    var windows = await JsonAsync(nodes.Inspection, "windows", "show", "-n", "10000", "--json");
    counted = windows.GetProperty("windows").EnumerateArray().Sum(w => (long)w.GetProperty("count").GetInt32());
    duplicates = windows.GetProperty("windows").EnumerateArray().SelectMany(w => w.GetProperty("partials").EnumerateArray()).Sum(p => (long)p.GetProperty("duplicates").GetInt32());
    late = windows.GetProperty("latePartials").GetInt64();
}

var offered = sensorNode.GetProperty("offered").GetInt64();
var dropped = sensorNode.GetProperty("dropped").GetInt64();
Console.WriteLine();
Console.WriteLine("| figure | value |");
Console.WriteLine("|---|---:|");
Console.WriteLine($"| readings offered by the sensors | {offered:N0} |");
Console.WriteLine($"| accepted by the router (sensors saw accepted) | {accepted:N0} |");
Console.WriteLine($"| dropped at the sensors (buffer full while no credit, or left at stop) | {dropped:N0} |");
Console.WriteLine($"| rejected by the aggregators | {Link(links, "readings-out", "rejected"):N0} |");
Console.WriteLine($"| resent by the sensors' sink (released, modified, or unsettled at a broken link) | {Link(links, "readings-out", "resent"):N0} |");
Console.WriteLine($"| counted in windows | {counted:N0} |");
Console.WriteLine($"| arrived twice at one aggregator, counted once | {duplicates:N0} |");
Console.WriteLine($"| counted beyond what was accepted (arrived at both aggregators) | {Math.Max(0, counted - accepted):N0} |");
Console.WriteLine($"| accepted but in no window | {Math.Max(0, accepted - counted):N0} |");
Console.WriteLine($"| partials that came after their window was merged | {late:N0} |");
Console.WriteLine();
Console.WriteLine("| process | RSS 30 s in (MiB) | RSS at the end (MiB) |");
Console.WriteLine("|---|---:|---:|");
foreach (var name in processes.Keys)
{
    Console.WriteLine($"| {name} | {Mib(rssAtStart[name])} | {Mib(rssAtEnd[name])}{(name == "aggregator 2" ? " (before its kill)" : name == "qdrouterd" ? " (restarted)" : "")} |");
}

return 0;

// Readings from ever new devices with 128-character ids, round after round, to one aggregator: its
// memory after each round shows whether what it keeps per device is bounded.
static async Task<int> HostileDevicesAsync(int perRound, int rounds)
{
    await using var nodes = new Nodes();
    var aggregator = nodes.StartAggregator();
    await Nodes.AttachedAsync(aggregator);
    await Task.Delay(TimeSpan.FromSeconds(10));
    Console.WriteLine($"# {perRound:N0} readings a round, each from a new device with a 128-character id, {rounds} rounds, one aggregator (embedded router)");
    Console.WriteLine("| devices so far | aggregator RSS (MiB) |");
    Console.WriteLine("|---:|---:|");
    Console.WriteLine($"| 0 | {Mib(Rss(aggregator.Id))} |");
    var script = Path.Combine(AppContext.BaseDirectory, "hostile_devices.py");
    for (var round = 1; round <= rounds; round++)
    {
        await using var forger = ExternalProcess.Start("/usr/bin/python3", [script, nodes.RouterUrl, "temperature", perRound.ToString(CultureInfo.InvariantCulture), round.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>());
        if (await forger.WaitForExitAsync(TimeSpan.FromMinutes(10)) != 0 || !forger.Lines.Contains($"accepted {perRound}"))
        {
            throw new InvalidOperationException($"the forger failed: {string.Join('\n', forger.Lines)}");
        }

        Console.WriteLine($"| {round * perRound:N0} | {Mib(Rss(aggregator.Id))} |");
    }

    return 0;
}

async Task Until(TimeSpan at)
{
    while (clock.Elapsed < at)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
    }
}

// The sensor process takes a free inspection port and logs it first.
string SensorInspection() => sensors.Lines.First(l => l.Contains("Now listening on: http://")).Split("http://")[1].Trim();

async Task<JsonElement> SensorNodeAsync() =>
    (await JsonAsync(nodes.Inspection, "sensors", "show", "--json")).GetProperty("nodes").EnumerateArray().Single();

static async Task<JsonElement> JsonAsync(string inspection, params string[] command)
{
    var (status, lines) = await Nodes.CmdAt(inspection, command);
    return status == 0
        ? JsonDocument.Parse(string.Join('\n', lines)).RootElement.Clone()
        : throw new InvalidOperationException($"cmd {string.Join(' ', command)} failed: {string.Join('\n', lines)}");
}

static long Link(JsonElement amqp, string link, string counter) =>
    amqp.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("name").GetString() == link).Sum(l => l.GetProperty(counter).GetInt64());

// The resident set of a process and its children (the router may run under a wrapper script).
static long? Rss(int? pid)
{
    if (pid is not { } id || !File.Exists($"/proc/{id}/status"))
    {
        return null;
    }

    var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    var own = line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    var children = File.Exists($"/proc/{id}/task/{id}/children")
        ? File.ReadAllText($"/proc/{id}/task/{id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)
        : [];
    return own + children.Sum(child => Rss(child) ?? 0);
}

static string Mib(long? bytes) => bytes is { } b ? (b / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) : "-";
