using System.Text.Json;
using ActorDemo.Sensors;
using ActorDemo.Node.Inspection;
using ActorDemo.Node.Links;
using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator.Dashboard;

/// <summary>
/// The live dashboard of an aggregator node: <c>GET /</c> is the page (no script or style from
/// anywhere else), <c>GET /dashboard/events</c> the server-sent events that keep it current: the
/// last hour of windows at once, then every window the singleton records (what <c>windows tail</c>
/// follows), the members on every cluster event (what <c>cluster tail</c> follows), and once a
/// second this node's readings per second and links, and the whole sensor fleet's readings offered,
/// sent and dropped (what <c>sensors show</c> asks every sensor node).
/// </summary>
public sealed class DashboardInspection : IInspectionModule
{
    public const string EventsPath = "/dashboard/events";

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(DashboardInspection).Assembly.GetManifestResourceStream("ActorDemo.Aggregator.Dashboard.dashboard.html")!;
        return new StreamReader(stream).ReadToEnd();
    });

    /// <summary>The dashboard is a page for a browser; it adds no <c>cmd</c> command.</summary>
    public IReadOnlyList<InspectionCommand> Commands => [];

    public void Started(ILogger log, Uri inspection) => log.LogInformation("Dashboard: {Url}", new Uri(inspection, "/"));

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        endpoints.MapGet(EventsPath, StreamAsync);
    }

    private static async Task StreamAsync(HttpContext context, ActorSystem system, IRequiredActor<AggregatorActor> singleton, AmqpLinks links, ActorDemo.Node.Hosting.ActorDemoOptions options)
    {
        var cluster = Cluster.Get(system);
        var aggregator = await singleton.GetAsync(context.RequestAborted);
        var history = await aggregator.Ask<History>(new GetHistory(WindowsInAnHour(options.Aggregator.Window)), AskTimeout);
        await InspectionEndpoints.StreamFrames(
            context,
            system,
            "text/event-stream",
            message => message switch
            {
                WindowRecorded recorded => Event("window", WindowInspection.Describe(recorded.Window)),
                ClusterEvent.IMemberEvent change => Event("members", ClusterView.Of(cluster, change)),
                ClusterEvent.IReachabilityEvent or ClusterEvent.CurrentClusterState => Event("members", ClusterView.Of(cluster)),
                _ => null,
            },
            (relay, events) =>
            {
                // The history first, so that the page draws the last hour before anything newer arrives.
                events.TryWrite(Event("history", history.Windows.Select(WindowInspection.Describe)));
                aggregator.Tell(new SubscribeWindows(relay));
                // Both subscriptions end with the relay: the singleton and the event stream watch their subscribers.
                cluster.Subscribe(relay, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
                return new Timer(
                    _ =>
                    {
                        events.TryWrite(Event("stats", Stats(links)));
                        SensorInspection.TotalsAsync(system).ContinueWith(
                            totals => events.TryWrite(Event("fleet", totals.Result)),
                            TaskContinuationOptions.OnlyOnRanToCompletion);
                    },
                    null,
                    TimeSpan.Zero,
                    StatsInterval);
            });
    }

    private static int WindowsInAnHour(TimeSpan window) => (int)Math.Clamp(TimeSpan.FromHours(1) / window, 1, 10_000);

    private static StatsReport Stats(AmqpLinks links)
    {
        var readings = links.Find(AggregatorHosting.ReadingsLink);
        return new(DateTimeOffset.UtcNow, readings?.Accepted ?? 0, readings?.Rejected ?? 0, links.Report());
    }

    private static string Event(string name, object data) =>
        $"event: {name}\ndata: {JsonSerializer.Serialize(data, JsonSerializerOptions.Web)}\n\n";

    /// <summary>This node's running totals; the page turns them into rates.</summary>
    private sealed record StatsReport(DateTimeOffset At, long Accepted, long Rejected, IReadOnlyList<AmqpLinkReport> Links);
}
