using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Node.Inspection;

/// <summary>A part of the inspection endpoint contributed by a role's assembly (sensors, windows).</summary>
public interface IInspectionModule
{
    void Map(IEndpointRouteBuilder endpoints);

    /// <summary>The endpoint listens at <paramref name="inspection"/>: the place to tell people where to look.</summary>
    void Started(ILogger log, Uri inspection)
    {
    }
}
