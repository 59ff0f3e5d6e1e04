namespace ActorDemo.Bench.Transport;

/// <summary>
/// <c>[--messages N] [--warmup N] [--only CLIENT]</c> for a whole run; the roles a run starts this
/// program in are <c>--role router --port P</c>, <c>--role send|receive --client C --url U --address A</c>.
/// </summary>
internal sealed record Arguments(string? Role, string Client, string Url, string Address, int Port, int Messages, int Warmup, string? Only)
{
    private const string Usage = """
        ActorDemo.Bench.Transport: N messages from a sender process through a router or broker process to a receiver process, for every pair of clients.
          --messages N    messages measured a run (default 200000)
          --warmup N      messages sent before, not measured (default 300000)
          --only CLIENT   one client pair: stages-at-least-once, stages-at-most-once, plain-amqpnetlite or proton-c
        What a run starts itself with: --role router --port P, or --role send|receive --client C --url U --address A.
        """;

    /// <summary>The run or role <paramref name="args"/> ask for; arguments that cannot be used end the program.</summary>
    public static Arguments Parse(string[] args)
    {
        var arguments = BenchArguments.Read(args, Usage, ["--messages", "--warmup", "--only", "--role", "--client", "--url", "--address", "--port"], []);
        return new Arguments(
            arguments.Choice("--role", ["router", "send", "receive"]),
            arguments.Text("--client", ""),
            arguments.Text("--url", ""),
            arguments.Text("--address", DotnetClients.Address),
            arguments.Number("--port", 0, minimum: 0),
            arguments.Number("--messages", 200_000),
            arguments.Number("--warmup", 300_000, minimum: 0),
            arguments.Choice("--only", Runs.Clients));
    }
}
