using Amqp.Listener;

namespace ActorDemo.Amqp.Routing;

/// <summary>A client's receiving link attached to an address: the router sends to it.</summary>
internal sealed class Consumer(ListenerLink link)
{
    public ListenerLink Link { get; } = link;

    /// <summary>Credit the client gave and the router has not used.</summary>
    public int Credit { get; private set; }

    /// <summary>
    /// AMQPNetLite's own count of the link's credit. It drops to zero on any flow that does not
    /// raise the limit, even one that leaves it unchanged, and reports flows as deltas from it,
    /// so the true credit is recovered from this mirror of it.
    /// </summary>
    private int _libraryCredit;

    public void OnFlow(int delta)
    {
        Credit = Math.Max(0, _libraryCredit + delta);
        _libraryCredit = delta > 0 ? _libraryCredit + delta : 0;
    }

    public void OnForward()
    {
        Credit--;
        _libraryCredit--;
    }

    public void Clear()
    {
        Credit = 0;
        _libraryCredit = 0;
    }
}
