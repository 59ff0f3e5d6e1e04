using System.Globalization;
using System.Net.Sockets;
using ActorDemo.Bench;
using ActorDemo.Testing;

// Connection benchmark: the Release aggregator with its embedded router, a process of its own, on
// default flags unless given others. A flood of client connections is opened against it, first
// ones that open AMQP and then stay idle, then ones that never open AMQP; each row gives how many
// the router held, refused or closed, and its RSS beside the RSS of the same process before the
// flood (the reference of the same run).
var arguments = BenchArguments.Read(
    args,
    "ActorDemo.Bench.Connections: a flood of client connections against the Release aggregator's embedded router.",
    [
        new("--connections", "N", "connections opened in each flood", "2000"),
        new("--aggregator-flags", "\"...\"", "flags for the aggregator; without them, its defaults"),
    ]);
var connections = arguments.Number("--connections");
var flags = arguments.Words("--aggregator-flags");

var (seedPort, routerPort) = (Loopback.FreePort(), Loopback.FreePort());
await using var aggregator = ExternalProcess.Start(Path.Combine(AppContext.BaseDirectory, "ActorDemo.Aggregator"), [
    "--router-port", routerPort.ToString(CultureInfo.InvariantCulture), "--port", seedPort.ToString(CultureInfo.InvariantCulture),
    "--seeds", $"akka.tcp://actordemo@127.0.0.1:{seedPort}", "--inspection-port", "0", "--management-port", "0", .. flags], new Dictionary<string, string>());
await aggregator.WaitForLineAsync(l => Nodes.SaysAttached(l), TimeSpan.FromMinutes(2));
await Settle();

Console.WriteLine($"# {Environment.ProcessorCount} cores, .NET {Environment.Version}; {connections} connections; aggregator flags: {(flags.Count == 0 ? "defaults" : string.Join(' ', flags))}");
Console.WriteLine("| clients | held after 6 s | refused or closed by the router | aggregator RSS MiB before | after | KiB per held connection |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
await Flood("open AMQP, then idle", OpenFrame());
await Flood("never open AMQP", []);
return 0;

async Task Flood(string kind, byte[] greeting)
{
    var before = Rss(aggregator.Id);
    var clients = new List<(TcpClient Client, Task<bool> Ended)>();
    for (var i = 0; i < connections; i++)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", routerPort);
            await client.GetStream().WriteAsync(greeting);
            clients.Add((client, EndedByRouter(client)));
        }
        catch (SocketException)
        {
            client.Dispose();
        }
    }

    // Longer than the default open timeout (5 s): what is still held then, stays.
    await Task.Delay(TimeSpan.FromSeconds(6));
    var ended = clients.Count(c => c.Ended.IsCompleted);
    var held = clients.Count - ended;
    var after = Rss(aggregator.Id);
    var perConnection = held == 0 ? "-" : ((after - before) / (double)held).ToString("N0", CultureInfo.InvariantCulture);
    Console.WriteLine($"| {connections:N0}, {kind} | {held:N0} | {ended:N0} | {before / 1024.0:N0} | {after / 1024.0:N0} | {perConnection} |");
    foreach (var (client, _) in clients)
    {
        client.Dispose();
    }

    await Settle();
}

// True once the router hung up on the client (a refusal, or the open timeout).
static async Task<bool> EndedByRouter(TcpClient client)
{
    var buffer = new byte[1024];
    try
    {
        while (await client.GetStream().ReadAsync(buffer) > 0)
        {
        }
    }
    catch (Exception e) when (e is IOException or ObjectDisposedException)
    {
    }

    return true;
}

// The protocol header and an open frame whose only field is a container id: what a client that opens AMQP sends first.
static byte[] OpenFrame()
{
    byte[] body = [0x00, 0x53, 0x10, 0xc0, 0x04, 0x01, 0xa1, 0x01, (byte)'x'];
    byte[] header = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 1, 0, 0];
    var size = 8 + body.Length;
    return [.. header, 0, 0, 0, (byte)size, 2, 0, 0, 0, .. body];
}

static async Task Settle()
{
    await Task.Delay(TimeSpan.FromSeconds(5));
}

static long Rss(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
