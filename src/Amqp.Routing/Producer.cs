using Amqp.Listener;

namespace ActorDemo.Amqp.Routing;

/// <summary>A client's sending link attached to an address: the router receives from it.</summary>
internal sealed class Producer(ListenerLink link)
{
    public ListenerLink Link { get; } = link;

    /// <summary>Credit granted to the client and not yet used.</summary>
    public int Outstanding { get; set; }
}
