namespace ActorDemo.Bench.Transport;

/// <summary>
/// <c>[--messages N] [--warmup N] [--only CLIENT]</c> for a whole run; the roles a run starts this
/// program in are <c>--role router --port P</c>, <c>--role send|receive --client C --url U --address A</c>.
/// </summary>
internal sealed record Arguments(string? Role, string Client, string Url, string Address, int Port, int Messages, int Warmup, string? Only)
{
    public static Arguments Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Number(string name, int fallback) => int.TryParse(Value(name), out var n) && n >= 0 ? n : fallback;

        return new Arguments(
            Value("--role"),
            Value("--client") ?? "",
            Value("--url") ?? "",
            Value("--address") ?? DotnetClients.Address,
            Number("--port", 0),
            Number("--messages", 200_000),
            Number("--warmup", 300_000),
            Value("--only"));
    }
}
