using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorDemo.Node.Inspection;

/// <summary>
/// The <c>cmd</c> client every executable carries, with Petabridge.Cmd's command names:
/// <c>ActorDemo.Aggregator cmd [HOST:PORT] cluster show</c>; the node's commands, and those of the roles
/// the executable runs (<see cref="IInspectionModule.Commands"/>). Tables for people, <c>--json</c> for scripts.
/// Exit status 0 on success, 1 when the node cannot do it or cannot be reached, 2 for a wrong command line.
/// </summary>
public static partial class InspectionClient
{
    public const string CommandName = "cmd";

    public const string DefaultEndpoint = "127.0.0.1:9110";

    /// <summary>Where <c>cmd</c> finds the inspection token when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "ACTORDEMO_INSPECTION_TOKEN";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The executable running <c>cmd</c>, as bash knows it.</summary>
    private static string Program => System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "ActorDemo.Aggregator";

    /// <summary>The node's own commands, which every executable's <c>cmd</c> has: the cluster, the actors, the AMQP links.</summary>
    public static IReadOnlyList<InspectionCommand> NodeCommands { get; } =
    [
        new("cluster show", "", "members with their status and roles; leader, oldest, unreachable", call => call.Taking(0, 0, () => call.Show<JsonElement>("cluster/members", Render.Cluster))),
        new("cluster leave", "[ADDRESS]", "make a member (default: this node) leave the cluster gracefully", call => call.Taking(0, 1, () => Leave(call))),
        new("cluster down", "ADDRESS", "mark a member down (for one that is gone)", call => call.Taking(1, 1, () => call.Send(HttpMethod.Put, $"cluster/members/{Uri.EscapeDataString(call.Arguments[0])}", ("operation", "down")))),
        new("cluster down-unreachable", "", "mark every unreachable member down", call => call.Taking(0, 0, () => call.Send(HttpMethod.Post, "cluster/down-unreachable"))),
        new("cluster join", "ADDRESS", "make this node join the cluster of ADDRESS", call => call.Taking(1, 1, () => call.Send(HttpMethod.Post, "cluster/members", ("address", call.Arguments[0])))),
        new("cluster tail", "", "follow membership events until Ctrl+C", call => call.Taking(0, 0, () => call.Follow<JsonElement>("cluster/events", Render.ClusterChange))),
        new("actor hierarchy", "[-d DEPTH]", "this node's actors under /user and /system", call => call.TakingCount("-d", "--depth", depth => call.Show<JsonElement>($"actors{(depth is null ? "" : $"?depth={depth}")}", Render.Actors))),
        new("amqp show", "", "this node's AMQP links: state, pending, unsettled, reconnects, rejected", call => call.Taking(0, 0, () => call.Show<JsonElement>("amqp", Render.Amqp))),
    ];

    /// <summary>The client's own commands, listed last: they ask no node.</summary>
    private static IReadOnlyList<InspectionCommand> ClientCommands { get; } =
    [
        new("completion bash", "", $"a bash completion script for cmd: source <({Program} cmd completion bash)", call => call.Taking(0, 0, () => call.Write(CommandCompletion.Bash(Program, call.Commands.Select(c => c.Words))))),
        new("help", "", "this list", call => call.Write(Help(call.Commands) + "\n")),
    ];

    /// <summary>Runs one <c>cmd</c> command line with the node's commands and <paramref name="roleCommands"/>, those of the roles the executable runs.</summary>
    public static async Task<int> RunAsync(string[] args, IReadOnlyList<InspectionCommand> roleCommands, TextWriter output, TextWriter errors, CancellationToken cancellation = default)
    {
        var json = args.Contains("--json");
        var words = args.Where(a => a != "--json").ToList();
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        if (words.IndexOf("--token") is var at and >= 0)
        {
            if (at + 1 >= words.Count || string.IsNullOrWhiteSpace(words[at + 1]))
            {
                await errors.WriteLineAsync($"--token needs a value: the node's inspection token (or set {TokenVariable}).");
                return 2;
            }

            token = words[at + 1];
            words.RemoveRange(at, 2);
        }
        var endpoint = DefaultEndpoint;
        if (words.Count > 0 && Endpoint().IsMatch(words[0]))
        {
            endpoint = words[0];
            words.RemoveAt(0);
            if (!Uri.TryCreate($"http://{endpoint}/", UriKind.Absolute, out _))
            {
                await errors.WriteLineAsync($"'{endpoint}' is not a node's inspection endpoint: give HOST:PORT with a port in 1..65535 (default {DefaultEndpoint}).");
                return 2;
            }
        }

        if (words is ["--help"] or ["-h"] or ["-?"])
        {
            // What every other command line answers to.
            words = ["help"];
        }

        IReadOnlyList<InspectionCommand> commands = [.. NodeCommands, .. roleCommands, .. ClientCommands];
        var command = commands.Where(c => words.Take(c.Words.Split(' ').Length).SequenceEqual(c.Words.Split(' '))).MaxBy(c => c.Words.Length);
        if (command is null)
        {
            await errors.WriteLineAsync(words.Count == 0 ? "No command given." : $"Unknown command '{string.Join(' ', words)}'.");
            await errors.WriteLineAsync(Help(commands));
            return 2;
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://{endpoint}/"), Timeout = Timeout };
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            return await command.Run(new InspectionCall(http, output, errors, json, command, words.Skip(command.Words.Split(' ').Length).ToList(), commands, cancellation));
        }
        catch (HttpRequestException e)
        {
            await errors.WriteLineAsync($"Cannot reach the node's inspection endpoint at http://{endpoint}: {e.Message}. Is the node running, and is this its inspection port (--inspection-port, default 9110)?");
            return 1;
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            await errors.WriteLineAsync($"The node at http://{endpoint} did not answer within {Timeout.TotalSeconds:0} s.");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException or JsonException)
        {
            // JSON of another shape than this client reads: a node of another version, most likely.
            await errors.WriteLineAsync($"The node at http://{endpoint} answered with JSON this cmd cannot show ({e.Message}); is it the same ActorDemo version? --json prints it as it is.");
            return 1;
        }
    }

    private static async Task<int> Leave(InspectionCall call)
    {
        var address = call.Arguments.FirstOrDefault();
        if (address is null)
        {
            var (response, members) = await call.Get<JsonElement>("cluster/members");
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    return await call.Failed(response);
                }
            }

            address = members.GetProperty("selfNode").GetString()!;
        }

        return await call.Send(HttpMethod.Put, $"cluster/members/{Uri.EscapeDataString(address)}", ("operation", "leave"));
    }

    private static string Help(IReadOnlyList<InspectionCommand> commands)
    {
        var width = commands.Max(c => $"{c.Words} {c.Arguments}".Length);
        var lines = commands.Select(c => $"  {$"{c.Words} {c.Arguments}".PadRight(width)}  {c.Description}");
        return $"Usage: cmd [HOST:PORT] COMMAND [--json] [--token TOKEN]\n  HOST:PORT  a node's inspection endpoint (default {DefaultEndpoint})\n  --token    the node's inspection token, which commands that change the cluster need off loopback (default: ${TokenVariable})\nCommands:\n{string.Join('\n', lines)}";
    }

    [GeneratedRegex(@"^[A-Za-z0-9.\-\[\]:]+:\d+$")]
    private static partial Regex Endpoint();
}
