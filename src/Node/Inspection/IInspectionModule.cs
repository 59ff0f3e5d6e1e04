using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Node.Inspection;

/// <summary>
/// A role's part of inspection, both halves: the routes it adds to the node's inspection endpoint,
/// and the <c>cmd</c> commands that call them and print their reports, which share a report type
/// with the route. An executable's <c>cmd</c> has the commands of the roles it runs.
/// </summary>
public interface IInspectionModule
{
    /// <summary>The <c>cmd</c> commands of this part, in the order help lists them.</summary>
    IReadOnlyList<InspectionCommand> Commands { get; }

    void Map(IEndpointRouteBuilder endpoints);

    /// <summary>The endpoint listens at <paramref name="inspection"/>: the place to tell people where to look.</summary>
    void Started(ILogger log, Uri inspection)
    {
    }
}
