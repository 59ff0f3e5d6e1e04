using ActorDemo.Node.Inspection;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>
/// <c>GET /windows?n=N</c>: the aggregator singleton's latest windows, each with its nodes' partials;
/// <c>GET /windows/tail</c>: every window it records from now on, one JSON line each.
/// </summary>
public sealed class WindowInspection : IInspectionModule
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/windows", async (int? n, IRequiredActor<AggregatorActor> singleton, CancellationToken cancellation) =>
        {
            var aggregator = await singleton.GetAsync(cancellation);
            var history = await aggregator.Ask<History>(new GetHistory(Math.Clamp(n ?? 10, 0, 10_000)), AskTimeout);
            var summary = await aggregator.Ask<Summary>(GetSummary.Instance, AskTimeout);
            return Results.Ok(new
            {
                windows = history.Windows.Select(Describe),
                recentMaximum = summary.Latest is { } latest ? Describe(latest) : null,
                total = summary.Windows,
                latePartials = summary.LatePartials,
                incarnation = summary.Incarnation,
                clockLags = summary.ClockLags,
            });
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

    internal sealed record WindowReport(
        DateTimeOffset WindowStart, DateTimeOffset WindowEnd, double Max, string DeviceId, int Count, int Nodes, long Incarnation, int Late, IReadOnlyList<PartialReport> Partials);

    /// <summary>One node's share of a window.</summary>
    /// <param name="Late">Of its count, readings that came after the window had closed on the node (event time).</param>
    internal sealed record PartialReport(string Node, int Count, double? Max, string? DeviceId, int Duplicates, int Late);
}
