using Amqp.Listener;

namespace ActorDemo.Shared.Routing;

/// <summary>A client's sending link attached to an address: the router receives from it.</summary>
internal sealed class Producer(ListenerLink link)
{
    public ListenerLink Link { get; } = link;

    /// <summary>Credit granted to the client and not yet used.</summary>
    public int Outstanding { get; set; }
}

/// <summary>A client's receiving link attached to an address: the router sends to it.</summary>
internal sealed class Consumer(ListenerLink link)
{
    public ListenerLink Link { get; } = link;

    /// <summary>Credit the client gave and the router has not used.</summary>
    public int Credit { get; set; }

    public long Forwarded { get; set; }
}
