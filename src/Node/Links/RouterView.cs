namespace ActorDemo.Node.Links;

/// <summary>
/// The router a node runs itself (the aggregator's embedded router), as <c>cmd amqp show</c> lists its
/// addresses; a node without one registers none.
/// </summary>
/// <param name="Addresses">The router's counters per address, serialized as the router gives them.</param>
public sealed record RouterView(Func<IReadOnlyList<object>> Addresses);
