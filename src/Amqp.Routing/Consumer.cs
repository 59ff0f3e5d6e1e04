using Amqp.Framing;
using Amqp.Listener;

namespace ActorDemo.Amqp.Routing;

/// <summary>
/// What an address sends to: a client's receiving link, or a reader in this process. Every
/// member is called under the address's lock.
/// </summary>
internal abstract class Consumer
{
    /// <summary>Credit the consumer gave and the router has not used.</summary>
    public int Credit { get; protected set; }

    /// <summary>Asked to give back all its credit at once (an AMQP drain).</summary>
    public abstract bool IsDraining { get; }

    /// <summary>Takes its messages pre-settled: it will send no outcome.</summary>
    public abstract bool SettlesOnSend { get; }

    /// <summary>The consumer changed its credit by <paramref name="delta"/>.</summary>
    public abstract void OnFlow(int delta);

    public abstract void Send(Forward forward);

    /// <summary>Confirms the consumer's outcome to it; false when the forward is no longer its own to settle.</summary>
    public abstract bool Confirm(Forward forward, DeliveryState? outcome, bool settled);

    /// <summary>Told that a drain took all its credit.</summary>
    public abstract void CompleteDrain();

    public virtual void Clear() => Credit = 0;

    /// <summary>It detached: no credit left, and the forwards it still held that the router must hand back itself.</summary>
    public virtual IEnumerable<Forward> Detach()
    {
        Clear();
        return [];
    }
}

/// <summary>A client's receiving link attached to an address: the router sends to it.</summary>
internal sealed class LinkConsumer(ListenerLink link) : Consumer
{
    /// <summary>
    /// AMQPNetLite's own count of the link's credit. It drops to zero on any flow that does not
    /// raise the limit, even one that leaves it unchanged, and reports flows as deltas from it,
    /// so the true credit is recovered from this mirror of it.
    /// </summary>
    private int _libraryCredit;

    public override bool IsDraining => link.IsDraining;

    public override bool SettlesOnSend => link.SettleOnSend;

    public override void OnFlow(int delta)
    {
        Credit = Math.Max(0, _libraryCredit + delta);
        _libraryCredit = delta > 0 ? _libraryCredit + delta : 0;
    }

    public override void Send(Forward forward)
    {
        Credit--;
        _libraryCredit--;
        link.SendMessage(forward, forward.Inbound.NewBuffer());
    }

    public override bool Confirm(Forward forward, DeliveryState? outcome, bool settled)
    {
        if (!settled)
        {
            link.DisposeMessage(forward, outcome, true);
        }

        return true;
    }

    public override void CompleteDrain() => link.CompleteDrain();

    public override void Clear()
    {
        base.Clear();
        _libraryCredit = 0;
    }
}
