using ActorDemo.Node.Inspection;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ActorDemo.Readings;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>
/// <c>GET /windows?n=N</c>: the aggregator singleton's latest windows, each with its nodes' partials;
/// <c>GET /windows/tail</c>: every window it records from now on, one JSON line each. And the commands
/// that call them, <c>windows show</c> and <c>windows tail</c>.
/// </summary>
public sealed class WindowInspection : IInspectionModule
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public IReadOnlyList<InspectionCommand> Commands { get; } =
    [
        new("windows show", "[-n N]", "the latest window maxima (default 10) and the recent maximum", call => call.TakingCount("-n", "--count", count => call.Show<WindowsReport>($"windows?n={count ?? 10}", Render))),
        new("windows tail", "", "follow window maxima until Ctrl+C", call => call.Taking(0, 0, () => call.Follow<WindowReport>("windows/tail", Render))),
    ];

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/windows", async (int? n, IRequiredActor<AggregatorActor> singleton, CancellationToken cancellation) =>
        {
            var aggregator = await singleton.GetAsync(cancellation);
            var history = await aggregator.Ask<History>(new GetHistory(Math.Clamp(n ?? 10, 0, 10_000)), AskTimeout);
            var summary = await aggregator.Ask<Summary>(GetSummary.Instance, AskTimeout);
            return Results.Ok(new WindowsReport(
                history.Windows.Select(Describe).ToList(),
                summary.Latest is { } latest ? Describe(latest) : null,
                summary.Windows,
                summary.LatePartials,
                summary.Incarnation,
                summary.ClockLags));
        });
        endpoints.MapGet("/windows/tail", async (HttpContext context, ActorSystem system, IRequiredActor<AggregatorActor> singleton) =>
        {
            var aggregator = await singleton.GetAsync(context.RequestAborted);
            await InspectionEndpoints.Stream(
                context,
                system,
                message => message is WindowRecorded recorded ? Describe(recorded.Window) : null,
                relay => aggregator.Tell(new SubscribeWindows(relay)));
        });
    }

    internal static WindowReport Describe(RecordedWindow recorded)
    {
        var window = recorded.Window;
        return new WindowReport(
            window.WindowStart,
            window.WindowEnd,
            window.Max,
            window.DeviceId,
            window.Count,
            window.Nodes,
            window.Incarnation,
            recorded.Late,
            recorded.Partials.Select(p => new PartialReport(p.Node.ToString(), p.Count, p.Max, p.DeviceId, p.Duplicates, p.Late)).ToList());
    }

    /// <summary>The lines of <c>windows show</c>: one per window, then the recent maximum.</summary>
    internal static string Render(WindowsReport report) =>
        string.Join('\n', report.Windows.Select(Render).Append(report.RecentMaximum is { } recent ? $"recent maximum: {Render(recent)}" : "no window yet"));

    /// <summary>A window as its maximum describes it, and the nodes whose readings came late, if any.</summary>
    internal static string Render(WindowReport window)
    {
        var maximum = new WindowMaximum(window.WindowStart, window.WindowEnd, window.Max, window.DeviceId, window.Count, window.Nodes, window.Incarnation).Describe();
        var late = (window.Partials ?? []).Where(p => p.Late > 0).Select(p => $"{p.Node} {ReportText.Number(p.Late)}").ToList();
        return late.Count == 0 ? maximum : $"{maximum} (late: {string.Join(", ", late)})";
    }
}

/// <summary>What <c>GET /windows</c> answers and <c>windows show</c> prints.</summary>
/// <param name="Total">Windows the singleton recorded since it started.</param>
/// <param name="LatePartials">Shares that came after their window had gone out.</param>
/// <param name="ClockLags">How far each aggregator node's clock lags the singleton's.</param>
public sealed record WindowsReport(
    IReadOnlyList<WindowReport> Windows, WindowReport? RecentMaximum, long Total, long LatePartials, long Incarnation, IReadOnlyList<ClockLag> ClockLags);

/// <summary>One window the singleton recorded, with each node's share of it; <c>windows tail</c> prints one per line.</summary>
public sealed record WindowReport(
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, double Max, string DeviceId, int Count, int Nodes, long Incarnation, int Late, IReadOnlyList<PartialReport>? Partials);

/// <summary>One node's share of a window.</summary>
/// <param name="Late">Of its count, readings that came after the window had closed on the node (event time).</param>
public sealed record PartialReport(string Node, int Count, double? Max, string? DeviceId, int Duplicates, int Late);
