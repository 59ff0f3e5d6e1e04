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
/// </summary>
public sealed class SensorInspection : IInspectionModule
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sensors", async (ActorSystem system) =>
        {
            var nodes = SensorNodes(Cluster.Get(system)).Select(address => Report(system, address));
            return Results.Ok(new { nodes = await Task.WhenAll(nodes) });
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

    private sealed record SensorNodeReport(
        string Node, int Sensors, int Target, long Offered, long Dropped, int Buffered, long Sent, long Accepted, long Rejected, long Pending, long Unsettled, string Link, string Stall, string StallReason, string? Error);
}
