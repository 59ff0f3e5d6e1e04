using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorDemo.Node.Inspection;

/// <summary>
/// The <c>cmd</c> client both executables carry, with Petabridge.Cmd's command names:
/// <c>ActorDemo.Aggregator cmd [HOST:PORT] cluster show</c>. Tables for people, <c>--json</c> for scripts.
/// Exit status 0 on success, 1 when the node cannot do it or cannot be reached, 2 for a wrong command line.
/// </summary>
public static partial class InspectionClient
{
    public const string CommandName = "cmd";

    public const string DefaultEndpoint = "127.0.0.1:9110";

    /// <summary>Where <c>cmd</c> finds the inspection token when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "ACTORDEMO_INSPECTION_TOKEN";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Every command: its words, its arguments, what it does.</summary>
    public static IReadOnlyList<(string Words, string Arguments, string Description)> Commands { get; } =
    [
        ("cluster show", "", "members with their status and roles; leader, oldest, unreachable"),
        ("cluster leave", "[ADDRESS]", "make a member (default: this node) leave the cluster gracefully"),
        ("cluster down", "ADDRESS", "mark a member down (for one that is gone)"),
        ("cluster down-unreachable", "", "mark every unreachable member down"),
        ("cluster join", "ADDRESS", "make this node join the cluster of ADDRESS"),
        ("cluster tail", "", "follow membership events until Ctrl+C"),
        ("actor hierarchy", "[-d DEPTH]", "this node's actors under /user and /system"),
        ("sensors show", "", "every sensor node: sensors, readings sent, dropped, pending, unsettled"),
        ("sensors scale", "N [--node ADDRESS]", "resize a node's sensor fleet (default: this node's)"),
        ("windows show", "[-n N]", "the latest window maxima (default 10) and the recent maximum"),
        ("windows tail", "", "follow window maxima until Ctrl+C"),
        ("amqp show", "", "this node's AMQP links: state, pending, unsettled, reconnects, rejected"),
        ("completion bash", "", "a bash completion script for cmd: source <(ActorDemo.Aggregator cmd completion bash)"),
        ("help", "", "this list"),
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellation = default)
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

        var command = Commands.Select(c => c.Words).Where(c => words.Take(c.Split(' ').Length).SequenceEqual(c.Split(' '))).MaxBy(c => c.Length);
        if (command is null)
        {
            await errors.WriteLineAsync(words.Count == 0 ? "No command given." : $"Unknown command '{string.Join(' ', words)}'.");
            await errors.WriteLineAsync(Help());
            return 2;
        }

        var rest = words.Skip(command.Split(' ').Length).ToList();
        if (command == "help")
        {
            await output.WriteLineAsync(Help());
            return 0;
        }

        if (command == "completion bash")
        {
            if (await Expect(rest, 0, 0, command) is { } refused)
            {
                return refused;
            }

            await output.WriteAsync(CommandCompletion.Bash(Commands.Select(c => c.Words)));
            return 0;
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://{endpoint}/"), Timeout = Timeout };
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        var call = new Call(http, output, errors, json, cancellation);
        try
        {
            return command switch
            {
                "cluster show" => await Expect(rest, 0, 0, command) ?? await call.Show("cluster/members", Render.Cluster),
                "cluster leave" => await Expect(rest, 0, 1, command) ?? await call.Leave(rest.FirstOrDefault()),
                "cluster down" => await Expect(rest, 1, 1, command) ?? await call.Send(HttpMethod.Put, $"cluster/members/{Uri.EscapeDataString(rest[0])}", ("operation", "down")),
                "cluster down-unreachable" => await Expect(rest, 0, 0, command) ?? await call.Send(HttpMethod.Post, "cluster/down-unreachable"),
                "cluster join" => await Expect(rest, 1, 1, command) ?? await call.Send(HttpMethod.Post, "cluster/members", ("address", rest[0])),
                "cluster tail" => await Expect(rest, 0, 0, command) ?? await call.Follow("cluster/events", Render.ClusterChange),
                "actor hierarchy" => await Option(rest, "-d", "--depth", command) switch
                {
                    (null, var depth) => await call.Show($"actors{(depth is null ? "" : $"?depth={depth}")}", Render.Actors),
                    var (code, _) => code.Value,
                },
                "sensors show" => await Expect(rest, 0, 0, command) ?? await call.Show("sensors", Render.Sensors),
                "sensors scale" => await Scale(call, rest, errors),
                "windows show" => await Option(rest, "-n", "--count", command) switch
                {
                    (null, var count) => await call.Show($"windows?n={count ?? 10}", Render.Windows),
                    var (code, _) => code.Value,
                },
                "windows tail" => await Expect(rest, 0, 0, command) ?? await call.Follow("windows/tail", Render.Window),
                "amqp show" => await Expect(rest, 0, 0, command) ?? await call.Show("amqp", Render.Amqp),
                _ => 2,
            };
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
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            // JSON of another shape than this client reads: a node of another version, most likely.
            await errors.WriteLineAsync($"The node at http://{endpoint} answered with JSON this cmd cannot show ({e.Message}); is it the same ActorDemo version? --json prints it as it is.");
            return 1;
        }

        async Task<int?> Expect(List<string> given, int min, int max, string name)
        {
            if (given.Count >= min && given.Count <= max)
            {
                return null;
            }

            await errors.WriteLineAsync($"'{name}' takes {(min == max ? $"{min}" : $"{min} to {max}")} argument(s), not {given.Count}: {Usage(name)}");
            return 2;
        }

        async Task<(int? Code, int? Value)> Option(List<string> given, string shortName, string longName, string name)
        {
            if (given.Count == 0)
            {
                return (null, null);
            }

            if (given.Count == 2 && (given[0] == shortName || given[0] == longName) && int.TryParse(given[1], out var value) && value >= 0)
            {
                return (null, value);
            }

            await errors.WriteLineAsync($"Invalid arguments '{string.Join(' ', given)}': {Usage(name)}");
            return (2, null);
        }
    }

    private static async Task<int> Scale(Call call, List<string> rest, TextWriter errors)
    {
        string? node = null;
        var nodeAt = rest.IndexOf("--node");
        if (nodeAt >= 0 && nodeAt + 1 < rest.Count)
        {
            node = rest[nodeAt + 1];
            rest.RemoveRange(nodeAt, 2);
        }

        if (rest.Count != 1 || !int.TryParse(rest[0], out var count) || count < 0)
        {
            await errors.WriteLineAsync($"'sensors scale' needs a number of sensors, 0 or more: {Usage("sensors scale")}");
            return 2;
        }

        return await call.Send(HttpMethod.Put, $"sensors?count={count}{(node is null ? "" : $"&node={Uri.EscapeDataString(node)}")}");
    }

    private static string Usage(string words) =>
        Commands.First(c => c.Words == words) is var c ? $"cmd [HOST:PORT] {c.Words} {c.Arguments}".TrimEnd() : words;

    private static string Help()
    {
        var width = Commands.Max(c => $"{c.Words} {c.Arguments}".Length);
        var lines = Commands.Select(c => $"  {$"{c.Words} {c.Arguments}".PadRight(width)}  {c.Description}");
        return $"Usage: cmd [HOST:PORT] COMMAND [--json] [--token TOKEN]\n  HOST:PORT  a node's inspection endpoint (default {DefaultEndpoint})\n  --token    the node's inspection token, which commands that change the cluster need off loopback (default: ${TokenVariable})\nCommands:\n{string.Join('\n', lines)}";
    }

    [GeneratedRegex(@"^[A-Za-z0-9.\-\[\]:]+:\d+$")]
    private static partial Regex Endpoint();

    /// <summary>One conversation with the node: JSON in, a table or the JSON out.</summary>
    private sealed class Call(HttpClient http, TextWriter output, TextWriter errors, bool json, CancellationToken cancellation)
    {
        public async Task<int> Show(string path, Func<JsonElement, string> render)
        {
            using var response = await http.GetAsync(path, cancellation);
            return await Print(response, render);
        }

        public async Task<int> Send(HttpMethod method, string path, params (string Name, string Value)[] form)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value))) };
            using var response = await http.SendAsync(request, cancellation);
            return await Print(response, Render.Message);
        }

        public async Task<int> Leave(string? address)
        {
            if (address is null)
            {
                using var self = await http.GetAsync("cluster/members", cancellation);
                if (!self.IsSuccessStatusCode)
                {
                    return await Print(self, Render.Message);
                }

                address = (await self.Content.ReadFromJsonAsync<JsonElement>(cancellation)).GetProperty("selfNode").GetString()!;
            }

            return await Send(HttpMethod.Put, $"cluster/members/{Uri.EscapeDataString(address)}", ("operation", "leave"));
        }

        public async Task<int> Follow(string path, Func<JsonElement, string> render)
        {
            http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellation);
            if (!response.IsSuccessStatusCode)
            {
                return await Print(response, render);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));
            while (await reader.ReadLineAsync(cancellation) is { } line)
            {
                await output.WriteLineAsync(json ? line : render(JsonDocument.Parse(line).RootElement));
                await output.FlushAsync(cancellation);
            }

            return 0;
        }

        private async Task<int> Print(HttpResponseMessage response, Func<JsonElement, string> render)
        {
            var text = await response.Content.ReadAsStringAsync(cancellation);
            JsonElement body;
            try
            {
                body = JsonDocument.Parse(text).RootElement;
            }
            catch (JsonException)
            {
                await errors.WriteLineAsync($"The node answered {(int)response.StatusCode} without JSON; is {http.BaseAddress} an ActorDemo inspection endpoint?");
                return 1;
            }

            if (!response.IsSuccessStatusCode)
            {
                await errors.WriteLineAsync(body.TryGetProperty("error", out var error) ? error.GetString() : text);
                return 1;
            }

            await output.WriteLineAsync(json ? text : render(body));
            return 0;
        }
    }
}
