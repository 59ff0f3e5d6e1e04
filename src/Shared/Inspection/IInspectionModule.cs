using Microsoft.AspNetCore.Routing;

namespace ActorDemo.Shared.Inspection;

/// <summary>A part of the inspection endpoint contributed by a role's assembly (sensors, windows).</summary>
public interface IInspectionModule
{
    void Map(IEndpointRouteBuilder endpoints);
}
