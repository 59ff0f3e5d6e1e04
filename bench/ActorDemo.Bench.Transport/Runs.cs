using System.Diagnostics;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;

namespace ActorDemo.Bench.Transport;

/// <summary>
/// Every client pair through every router, each run with a fresh router; one Markdown table. A
/// RabbitMQ queue runs twice: read while it fills, and drained once the whole run has been sent
/// to it with no receiver attached (the backlog of an outage; its time is the drain's).
/// </summary>
internal static class Runs
{
    public const string StagesAtLeastOnce = "stages-at-least-once";
    public const string StagesAtMostOnce = "stages-at-most-once";
    public const string PlainAmqpNetLite = "plain-amqpnetlite";
    public const string ProtonC = "proton-c";

    public static readonly string[] Clients = [StagesAtLeastOnce, StagesAtMostOnce, PlainAmqpNetLite, ProtonC];
    private const string RabbitMqBacklog = "rabbitmq-queue-backlog";

    public static readonly string[] Routers = ["embedded", "qpid-dispatch", "rabbitmq-queue", RabbitMqBacklog];
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAllAsync(int messages, int warmup, string? only, string? onlyRouter)
    {
        Console.WriteLine($"# {messages:N0} messages a run after {warmup:N0} of warm-up (.NET clients), {Environment.ProcessorCount} cores, .NET {Environment.Version}; sender, router and receiver each a process");
        Console.WriteLine("| clients | router | messages/s | arrived | seconds |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        var rates = new Dictionary<(string Client, string Router), double>();
        foreach (var client in Clients.Where(c => only is null || c == only))
        {
            foreach (var router in Routers.Where(r => onlyRouter is null || r == onlyRouter))
            {
                var (arrived, seconds) = await RunAsync(client, router, messages, warmup);
                rates[(client, router)] = arrived / seconds;
                Console.WriteLine($"| {client} | {router} | {arrived / seconds:N0} | {arrived:N0} | {seconds:F2} |");
            }
        }

        Console.WriteLine();
        foreach (var client in Clients.Where(c => c != ProtonC && rates.ContainsKey((c, "qpid-dispatch")) && rates.ContainsKey((ProtonC, "qpid-dispatch"))))
        {
            Console.WriteLine($"- {client} vs Proton C clients, both through Qpid Dispatch: {rates[(client, "qpid-dispatch")] / rates[(ProtonC, "qpid-dispatch")]:F2}x");
        }

        foreach (var client in Clients.Where(c => rates.ContainsKey((c, "embedded")) && rates.ContainsKey((c, "qpid-dispatch"))))
        {
            Console.WriteLine($"- embedded router vs Qpid Dispatch, both driven by {client}: {rates[(client, "embedded")] / rates[(client, "qpid-dispatch")]:F2}x");
        }

        foreach (var client in Clients.Where(c => rates.ContainsKey((c, "rabbitmq-queue")) && rates.ContainsKey((c, "qpid-dispatch"))))
        {
            Console.WriteLine(
                $"- RabbitMQ queue vs Qpid Dispatch, both driven by {client}: {rates[(client, "rabbitmq-queue")] / rates[(client, "qpid-dispatch")]:F2}x live, " +
                $"{rates[(client, RabbitMqBacklog)] / rates[(client, "qpid-dispatch")]:F2}x draining a backlog");
        }

        return 0;
    }

    private static async Task<(long Arrived, double Seconds)> RunAsync(string client, string router, int messages, int warmup)
    {
        var port = Loopback.FreePort();
        var address = DotnetClients.Address;
        IAsyncDisposable running;
        switch (router)
        {
            case "embedded":
                running = await StartEmbeddedAsync(port);
                break;
            case "qpid-dispatch":
                running = await QpidDispatchFixture.StartAsync(port, QpidDispatchConfig.Standalone(port, address));
                break;
            default:
                var broker = await RabbitMqFixture.StartAsync();
                (running, port, address) = (broker, broker.Port, RabbitMqFixture.Queue(address));
                break;
        }

        await using (running)
        {
            var backlog = router == RabbitMqBacklog;
            return client == ProtonC
                ? await ProtonPairAsync(port, address, messages, warmup, backlog)
                : await DotnetPairAsync(client, $"amqp://127.0.0.1:{port}", address, messages, warmup, backlog);
        }
    }

    private static async Task<IAsyncDisposable> StartEmbeddedAsync(int port)
    {
        var router = Self("--role", "router", "--port", port.ToString());
        await router.WaitForLineAsync(l => l == "ready");
        return router;
    }

    /// <param name="backlog">The sender sends all before the receiver starts (a queue only).</param>
    private static async Task<(long, double)> DotnetPairAsync(string client, string url, string address, int messages, int warmup, bool backlog)
    {
        var common = new[] { "--client", client, "--url", url, "--address", address, "--messages", messages.ToString(), "--warmup", warmup.ToString() };
        await using var sender = backlog ? Self(["--role", "send", .. common]) : null;
        if (sender is not null)
        {
            await Exited(sender, "sender");
        }

        await using var receiver = Self(["--role", "receive", .. common]);
        await receiver.WaitForLineAsync(l => l == "ready", TimeSpan.FromSeconds(60));
        await using var live = backlog ? null : Self(["--role", "send", .. common]);
        if (live is not null)
        {
            await Exited(live, "sender");
        }

        await Exited(receiver, "receiver");
        var received = receiver.Lines.Single(l => l.StartsWith("received ", StringComparison.Ordinal)).Split(' ');
        return (long.Parse(received[1]), double.Parse(received[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Proton C's example receive and send as they ship: the receiver prints every message, which is
    /// read in blocks; the time runs from its first byte of output to its exit after the last message.
    /// </summary>
    private static async Task<(long, double)> ProtonPairAsync(int port, string address, int messages, int warmup, bool backlog)
    {
        if (warmup > 0)
        {
            // The same warm-up as the .NET clients get, untimed: it lets the embedded router's code tier up.
            await ProtonPairAsync(port, address, warmup, warmup: 0, backlog: false);
        }

        var (send, receive) = (await ProtonExamples.BuildAsync("send"), await ProtonExamples.BuildAsync("receive"));
        if (backlog)
        {
            await using var filling = ExternalProcess.Start(send, "127.0.0.1", port.ToString(), address, messages.ToString());
            await Exited(filling, "Proton send");
        }

        var info = new ProcessStartInfo(receive) { RedirectStandardOutput = true };
        foreach (var argument in new[] { "127.0.0.1", port.ToString(), address, messages.ToString() })
        {
            info.ArgumentList.Add(argument);
        }

        using var receiver = Process.Start(info)!;
        var output = receiver.StandardOutput.BaseStream;
        var buffer = new byte[64 * 1024];
        await using var sender = backlog ? null : ExternalProcess.Start(send, "127.0.0.1", port.ToString(), address, messages.ToString());
        var first = await output.ReadAsync(buffer);
        var clock = Stopwatch.StartNew();
        while (first > 0 && await output.ReadAsync(buffer) > 0)
        {
        }

        var elapsed = clock.Elapsed;
        await receiver.WaitForExitAsync();
        if (sender is not null)
        {
            await Exited(sender, "Proton send");
        }

        return receiver.ExitCode == 0
            ? (messages, elapsed.TotalSeconds)
            : throw new InvalidOperationException($"Proton receive exited with {receiver.ExitCode}");
    }

    private static async Task Exited(ExternalProcess process, string what)
    {
        var status = await process.WaitForExitAsync(RunLimit);
        if (status != 0)
        {
            throw new InvalidOperationException($"The {what} exited with {status}:\n{string.Join('\n', process.Lines)}");
        }
    }

    /// <summary>This program in another role; started with <c>dotnet run</c> or <c>dotnet X.dll</c>, the host needs the assembly named.</summary>
    private static ExternalProcess Self(params string[] arguments)
    {
        var host = Environment.ProcessPath!;
        string[] self = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(Runs).Assembly.Location] : [];
        return ExternalProcess.Start(host, [.. self, .. arguments], new Dictionary<string, string>());
    }
}
