using System.Net.Http.Json;
using System.Text.Json;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Reliability.Tests;

/// <summary>
/// A sender no one here wrote (Qpid Proton) sends bad messages of every kind between valid
/// readings, to a running aggregator through a router: AMQP messages that are no reading, and
/// transfers whose payload is not an AMQP message at all. Each must be rejected with a description,
/// every valid reading accepted, the aggregator's readings link must stay up (routers forward such
/// payloads untouched, so the consumer is where they meet), and the log must stay short.
/// </summary>
[Trait("Category", "Reliability")]
public abstract class HostileSenderSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rounds = 100;
    private const int BadKinds = 17;
    private static readonly string HostileSender = Path.Combine(AppContext.BaseDirectory, "hostile_sender.py");
    private readonly Stack<IAsyncDisposable> _running = new();

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Starts the router under test and returns the nodes pointed at it.</summary>
    protected abstract Task<Nodes> StartAsync(Stack<IAsyncDisposable> running);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        while (_running.TryPop(out var running))
        {
            await running.DisposeAsync();
        }
    }

    [Fact]
    public async Task Bad_messages_of_every_kind_are_rejected_with_a_reason_and_every_valid_reading_between_them_is_accepted()
    {
        var nodes = await StartAsync(_running);
        var aggregator = nodes.StartAggregator();
        await Nodes.AttachedAsync(aggregator);

        await using var sender = ExternalProcess.Start("/usr/bin/python3", [HostileSender, nodes.RouterUrl, "temperature", Rounds.ToString()], new Dictionary<string, string>());
        var status = await sender.WaitForExitAsync(TimeSpan.FromMinutes(4));
        foreach (var line in sender.Lines)
        {
            Output.WriteLine(line);
        }

        Assert.Equal(0, status);
        Assert.Contains($"valid accepted={Rounds * BadKinds * 5} other=0", sender.Lines);
        Assert.Contains($"bad rejected={Rounds * BadKinds} other=0", sender.Lines);
        Assert.Contains(sender.Lines, l => l.StartsWith("reason device-id-with-escape-codes:", StringComparison.Ordinal) && !l.Contains('\u001b'));
        Assert.Contains(sender.Lines, l => l.StartsWith("reason not-amqp:", StringComparison.Ordinal) && l.Contains("not an AMQP message"));
        Assert.Contains(sender.Lines, l => l.StartsWith("reason large-garbage:", StringComparison.Ordinal));

        var link = await ReadingsLinkAsync(nodes);
        Assert.Equal(0, link.GetProperty("reconnects").GetInt64());
        Assert.Equal("Attached", link.GetProperty("state").GetString());
        using var http = new HttpClient();
        Assert.True((await http.GetAsync($"http://127.0.0.1:{nodes.ManagementPort}/ready")).IsSuccessStatusCode, "the aggregator is not ready");
        // The rejections are summarized, not logged one by one.
        Assert.InRange(aggregator.Lines.Count(l => l.Contains("reject", StringComparison.OrdinalIgnoreCase)), 1, 40);
    }

    private static async Task<JsonElement> ReadingsLinkAsync(Nodes nodes)
    {
        using var http = new HttpClient();
        var report = await http.GetFromJsonAsync<JsonElement>($"http://{nodes.Inspection}/amqp");
        return report.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("address").GetString() == "temperature");
    }
}

public sealed class HostileSenderThroughTheEmbeddedRouter(ITestOutputHelper output) : HostileSenderSpecs(output)
{
    protected override Task<Nodes> StartAsync(Stack<IAsyncDisposable> running)
    {
        var nodes = new Nodes();
        running.Push(nodes);
        return Task.FromResult(nodes);
    }
}

public sealed class HostileSenderThroughQpidDispatch(ITestOutputHelper output) : HostileSenderSpecs(output)
{
    protected override async Task<Nodes> StartAsync(Stack<IAsyncDisposable> running)
    {
        var router = await QpidDispatchFixture.StartRouterOverlayAsync();
        running.Push(router);
        var nodes = new Nodes(router.Url);
        running.Push(nodes);
        return nodes;
    }
}
