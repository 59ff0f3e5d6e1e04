using System.Net.Http.Json;
using System.Text.Json;

namespace ActorDemo.Node.Inspection;

/// <summary>
/// One <c>cmd</c> command's conversation with a node: its arguments, and the node's JSON in, a report
/// for people or the JSON itself (<c>--json</c>) out. A report is read into the type the node's route
/// wrote it from, which the route and the command share.
/// </summary>
public sealed class InspectionCall(
    HttpClient http, TextWriter output, TextWriter errors, bool json, InspectionCommand command, IReadOnlyList<string> arguments, IReadOnlyList<InspectionCommand> commands, CancellationToken cancellation)
{
    /// <summary>The words after the command's own.</summary>
    public IReadOnlyList<string> Arguments => arguments;

    /// <summary>Every command this <c>cmd</c> has, for help and completion.</summary>
    public IReadOnlyList<InspectionCommand> Commands => commands;

    /// <summary>Prints <paramref name="text"/> as it is; status 0.</summary>
    public async Task<int> Write(string text)
    {
        await output.WriteAsync(text);
        return 0;
    }

    /// <summary>Says what is wrong with the arguments, with the command's usage; status 2.</summary>
    public async Task<int> Refuse(string problem)
    {
        await errors.WriteLineAsync($"{problem}: {command.Usage}");
        return 2;
    }

    /// <summary>Runs <paramref name="run"/> when the command has <paramref name="min"/> to <paramref name="max"/> arguments; refuses it otherwise.</summary>
    public Task<int> Taking(int min, int max, Func<Task<int>> run) =>
        Arguments.Count >= min && Arguments.Count <= max
            ? run()
            : Refuse($"'{command.Words}' takes {(min == max ? $"{min}" : $"{min} to {max}")} argument(s), not {Arguments.Count}");

    /// <summary>Runs <paramref name="run"/> with the optional count <c>SHORT N</c> or <c>LONG N</c> (N &gt;= 0), null when not given.</summary>
    public Task<int> TakingCount(string shortName, string longName, Func<int?, Task<int>> run) => Arguments switch
    {
        [] => run(null),
        [var name, var text] when (name == shortName || name == longName) && int.TryParse(text, out var count) && count >= 0 => run(count),
        _ => Refuse($"Invalid arguments '{string.Join(' ', Arguments)}'"),
    };

    /// <summary>GETs <paramref name="path"/> and prints the report it answers.</summary>
    public async Task<int> Show<TReport>(string path, Func<TReport, string> render)
    {
        using var response = await http.GetAsync(path, cancellation);
        return await Print(response, render);
    }

    /// <summary>Sends a form to <paramref name="path"/> and prints the node's message.</summary>
    public async Task<int> Send(HttpMethod method, string path, params (string Name, string Value)[] form)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value))) };
        using var response = await http.SendAsync(request, cancellation);
        return await Print<JsonElement>(response, Message);
    }

    /// <summary>GETs <paramref name="path"/> as JSON.</summary>
    public async Task<(HttpResponseMessage Response, TReport? Report)> Get<TReport>(string path)
    {
        var response = await http.GetAsync(path, cancellation);
        return (response, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<TReport>(JsonSerializerOptions.Web, cancellation) : default);
    }

    /// <summary>Prints a node's answer that was not a success: its error.</summary>
    public Task<int> Failed(HttpResponseMessage response) => Print<JsonElement>(response, Message);

    /// <summary>Follows the JSON lines of <paramref name="path"/> until the node ends them or Ctrl+C.</summary>
    public async Task<int> Follow<TReport>(string path, Func<TReport, string> render)
    {
        http.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            return await Print(response, render);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            await output.WriteLineAsync(json ? line : render(Read<TReport>(JsonDocument.Parse(line).RootElement)));
            await output.FlushAsync(cancellation);
        }

        return 0;
    }

    private static string Message(JsonElement body) =>
        body.TryGetProperty("message", out var message) ? message.GetString() ?? "" : body.GetRawText();

    private static TReport Read<TReport>(JsonElement body) =>
        body.Deserialize<TReport>(JsonSerializerOptions.Web) ?? throw new JsonException($"the node answered null for {typeof(TReport).Name}");

    private async Task<int> Print<TReport>(HttpResponseMessage response, Func<TReport, string> render)
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

        await output.WriteLineAsync(json ? text : render(Read<TReport>(body)));
        return 0;
    }
}
