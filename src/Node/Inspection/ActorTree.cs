using Akka.Actor;

namespace ActorDemo.Node.Inspection;

/// <summary>This node's actors under /user and /system, as <c>actor hierarchy</c> prints them.</summary>
public sealed record ActorTree(string Path, int Children, IReadOnlyList<ActorTree> Below)
{
    public static IReadOnlyList<ActorTree> Of(ExtendedActorSystem system, int depth) =>
        [Of(system.Guardian, depth), Of(system.SystemGuardian, depth)];

    private static ActorTree Of(IActorRef actor, int depth)
    {
        var children = actor is ActorRefWithCell cell ? cell.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal).ToList() : [];
        return new ActorTree(
            actor.Path.ToStringWithoutAddress(),
            children.Count,
            depth > 0 ? children.Select(child => Of(child, depth - 1)).ToList() : []);
    }
}
