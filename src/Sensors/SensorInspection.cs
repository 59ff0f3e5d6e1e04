using ActorDemo.Node.Inspection;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorDemo.Sensors;

/// <summary>
/// <c>GET /sensors</c>: every sensor node of the cluster, asked through its publisher and fleet;
/// <c>PUT /sensors?count=N[&amp;node=ADDRESS]</c>: resizes a node's fleet (this node's by default).
/// And the commands that call them, <c>sensors show</c> and <c>sensors scale</c>.
/// </summary>
public sealed class SensorInspection : IInspectionModule
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public IReadOnlyList<InspectionCommand> Commands { get; } =
    [
        new("sensors show", "", "every sensor node: sensors, readings sent, dropped, pending, unsettled", call => call.Taking(0, 0, () => call.Show<SensorsReport>("sensors", Render))),
        new("sensors scale", "N [--node ADDRESS]", "resize a node's sensor fleet (default: this node's)", Scale),
    ];

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sensors", async (ActorSystem system) =>
        {
            var nodes = SensorNodes(Cluster.Get(system)).Select(address => Report(system, address));
            return Results.Ok(new SensorsReport(await Task.WhenAll(nodes)));
        });
        endpoints.MapPut("/sensors", async (int? count, string? node, ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            var sensorNodes = SensorNodes(cluster).ToList();
            if (count is not (>= 0 and <= SensorOptions.MaxCount))
            {
                return InspectionEndpoints.Error(
                    StatusCodes.Status400BadRequest, $"Give the number of sensors, 0 to {SensorOptions.MaxCount:N0} a node: PUT /sensors?count=N.");
            }

            var target = node is null
                ? sensorNodes.FirstOrDefault(a => a == cluster.SelfAddress)
                : sensorNodes.FirstOrDefault(a => a.ToString() == node || $"{a.Host}:{a.Port}" == node);
            if (target is null)
            {
                var which = node is null ? "This node hosts no sensors" : $"{node} is not a sensor node of this cluster";
                return InspectionEndpoints.Error(StatusCodes.Status400BadRequest, $"{which}; use --node with one of: {string.Join(", ", sensorNodes)}.");
            }

            SensorFleetProtocol.Resized resized;
            try
            {
                resized = await Fleet(system, target).Ask<SensorFleetProtocol.Resized>(new SensorFleetProtocol.Resize(count.Value), AskTimeout);
            }
            catch (AskTimeoutException)
            {
                // The request may still reach the node: say so, rather than that it failed.
                return InspectionEndpoints.Error(
                    StatusCodes.Status504GatewayTimeout,
                    $"{target} did not answer within {AskTimeout.TotalSeconds:0} s; it may still resize to {count} sensors: 'sensors show' tells how many it runs.");
            }

            var message = resized.Done
                ? $"{target} now runs {resized.Count} sensors"
                : $"{target} is starting {resized.Target} sensors ({resized.Count} run so far); 'sensors show' tells when all run";
            return Results.Ok(new { message, node = target.ToString(), sensors = resized.Count, target = resized.Target });
        });
    }

    /// <summary>The readings of every sensor node that answers, added up: what the dashboard turns into the fleet's rates.</summary>
    public static async Task<FleetTotals> TotalsAsync(ActorSystem system)
    {
        var reports = (await Task.WhenAll(SensorNodes(Cluster.Get(system)).Select(address => Report(system, address)))).Where(r => r.Error is null).ToList();
        return new FleetTotals(DateTimeOffset.UtcNow, reports.Count, reports.Sum(r => r.Offered), reports.Sum(r => r.Sent), reports.Sum(r => r.Dropped));
    }

    private static IEnumerable<Address> SensorNodes(Cluster cluster) =>
        cluster.State.Members
            .Where(m => m.HasRole(SensorHosting.RoleName) && m.Status is MemberStatus.Up or MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Leaving)
            .Select(m => m.Address)
            .OrderBy(a => a.ToString(), StringComparer.Ordinal);

    private static ActorSelection Fleet(ActorSystem system, Address node) => system.ActorSelection($"{node}/user/{SensorHosting.FleetName}");

    private static async Task<SensorNodeReport> Report(ActorSystem system, Address node)
    {
        try
        {
            var fleet = Fleet(system, node).Ask<SensorFleetProtocol.Fleet>(SensorFleetProtocol.GetFleet.Instance, AskTimeout);
            var counts = system.ActorSelection($"{node}/user/{SensorHosting.PublisherName}")
                .Ask<ReadingPublisherProtocol.Counts>(ReadingPublisherProtocol.GetCounts.Instance, AskTimeout);
            var (f, c) = (await fleet, await counts);
            return new SensorNodeReport(node.ToString(), f.Count, f.Target, c.Offered, c.Dropped, c.Buffered, c.Sent, c.Accepted, c.Rejected, c.Pending, c.Unsettled, c.Link, c.Stall, c.StallReason, null);
        }
        catch (Exception e) when (e is AskTimeoutException or ActorNotFoundException)
        {
            return new SensorNodeReport(node.ToString(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", "", "", $"no answer within {AskTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Running totals of the sensor nodes that answered at <paramref name="At"/>.</summary>
    public sealed record FleetTotals(DateTimeOffset At, int Nodes, long Offered, long Sent, long Dropped);

    /// <summary>The table of <c>sensors show</c>; below it, why each node's readings wait, where they do, and what lifts it.</summary>
    internal static string Render(SensorsReport report) =>
        ReportText.Table(
            ["NODE", "SENSORS", "OFFERED", "DROPPED", "BUFFERED", "SENT", "ACCEPTED", "REJECTED", "PENDING", "UNSETTLED", "LINK", "WAITING ON"],
            report.Nodes.Select(n => n.Error is { Length: > 0 } error
                ? new[] { n.Node, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", error }
                : [n.Node, FleetSize(n), ReportText.Number(n.Offered), ReportText.Number(n.Dropped), ReportText.Number(n.Buffered), ReportText.Number(n.Sent), ReportText.Number(n.Accepted),
                    ReportText.Number(n.Rejected), ReportText.Number(n.Pending), ReportText.Number(n.Unsettled), n.Link ?? "", n.Stall ?? ""]))
            + string.Concat(report.Nodes.Where(n => n.StallReason is { Length: > 0 }).Select(n => $"\n{n.Node}: {n.StallReason}"));

    /// <summary>The sensors a node runs; while it grows, with the size it grows to (<c>12,000 of 50,000</c>).</summary>
    private static string FleetSize(SensorNodeReport node) =>
        node.Target is { } target && target != node.Sensors ? $"{ReportText.Number(node.Sensors)} of {ReportText.Number(target)}" : ReportText.Number(node.Sensors);

    private static async Task<int> Scale(InspectionCall call)
    {
        var rest = call.Arguments.ToList();
        string? node = null;
        var nodeAt = rest.IndexOf("--node");
        if (nodeAt >= 0 && nodeAt + 1 < rest.Count)
        {
            node = rest[nodeAt + 1];
            rest.RemoveRange(nodeAt, 2);
        }

        if (rest.Count != 1 || !int.TryParse(rest[0], out var count) || count < 0)
        {
            return await call.Refuse("'sensors scale' needs a number of sensors, 0 or more");
        }

        return await call.Send(HttpMethod.Put, $"sensors?count={count}{(node is null ? "" : $"&node={Uri.EscapeDataString(node)}")}");
    }
}

/// <summary>What <c>GET /sensors</c> answers and <c>sensors show</c> prints: every sensor node of the cluster.</summary>
public sealed record SensorsReport(IReadOnlyList<SensorNodeReport> Nodes);

/// <summary>One sensor node's fleet and readings; a node that did not answer has only its <paramref name="Error"/>.</summary>
/// <param name="Target">The size its fleet is growing or shrinking to.</param>
/// <param name="Stall">What its readings wait on, if anything (no receiver, link down, credit held by unsettled readings).</param>
/// <param name="StallReason">The same for people, with what lifts it.</param>
public sealed record SensorNodeReport(
    string Node, int Sensors, int? Target, long Offered, long Dropped, int Buffered, long Sent, long Accepted, long Rejected, long Pending, long Unsettled,
    string? Link, string? Stall, string? StallReason, string? Error);
