namespace ActorDemo.Bench.Transport;

/// <summary>
/// What this program is asked to do: a whole run, or one of the roles a run starts it in (the
/// router, a sender or a receiver). The flags and their defaults are declared in <see cref="Parse"/>.
/// </summary>
internal sealed record Arguments(string? Role, string Client, string Url, string Address, int Port, int Messages, int Warmup, string? Only, string? Router)
{
    /// <summary>The run or role <paramref name="args"/> ask for; arguments that cannot be used end the program.</summary>
    public static Arguments Parse(string[] args)
    {
        var arguments = BenchArguments.Read(
            args,
            "ActorDemo.Bench.Transport: N messages from a sender process through a router or broker process to a receiver process, for every pair of clients.",
            [
                new("--messages", "N", "messages measured a run", "200000"),
                new("--warmup", "N", "messages sent before, not measured", "300000"),
                new("--only", "CLIENT", $"one client pair: {string.Join(", ", Runs.Clients)}"),
                new("--router", "NAME", $"one router or broker: {string.Join(", ", Runs.Routers)}"),
                // What a run starts this program with, as the router or one of the clients.
                new("--role", "ROLE", "router, send or receive, as a run starts it"),
                new("--client", "CLIENT", "with --role send or receive: the client", ""),
                new("--url", "URL", "with --role send or receive: the router's URL", ""),
                new("--address", "ADDRESS", "with --role send or receive: the address", DotnetClients.Address),
                new("--port", "N", "with --role router: its port", "0"),
            ]);
        return new Arguments(
            arguments.Choice("--role", ["router", "send", "receive"]),
            arguments.Text("--client")!,
            arguments.Text("--url")!,
            arguments.Text("--address")!,
            arguments.Number("--port", minimum: 0),
            arguments.Number("--messages"),
            arguments.Number("--warmup", minimum: 0),
            arguments.Choice("--only", Runs.Clients),
            arguments.Choice("--router", Runs.Routers));
    }
}
