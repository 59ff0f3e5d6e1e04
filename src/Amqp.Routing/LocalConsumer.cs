using Amqp;
using Amqp.Framing;

namespace ActorDemo.Amqp.Routing;

/// <summary>
/// A reader in this process: the aggregator beside its embedded router. It is handed each message
/// as the bytes it arrived in, with no connection between, and settles it by calling the address.
/// Like an AMQP link's, its credit comes back as it settles, in steps of half its window.
/// </summary>
internal sealed class LocalConsumer(AnycastAddress address, int window, Action<LocalDelivery> deliver) : Consumer
{
    private readonly int _restoreStep = Math.Max(1, window / 2);

    // Guarded by the address's lock, like every member the address calls.
    private readonly HashSet<Forward> _unsettled = [];
    private long _settled;
    private volatile bool _withdrawn;

    public override bool IsDraining => false;

    public override bool SettlesOnSend => false;

    /// <summary>Gives the window's credit: called once, after it was added to the address.</summary>
    public void Start() => address.OnCredit(this, window);

    /// <summary>Takes no more messages; those it holds it still settles.</summary>
    public void Withdraw()
    {
        _withdrawn = true;
        address.Withdraw(this);
    }

    public override void OnFlow(int delta) => Credit = Math.Max(0, Credit + delta);

    public override void Send(Forward forward)
    {
        Credit--;
        _unsettled.Add(forward);
        deliver(new LocalDelivery(this, forward));
    }

    public override bool Confirm(Forward forward, DeliveryState? outcome, bool settled) => _unsettled.Remove(forward);

    public override void CompleteDrain()
    {
    }

    public override IEnumerable<Forward> Detach()
    {
        Clear();
        var held = _unsettled.ToList();
        _unsettled.Clear();
        return held;
    }

    /// <summary>Settles one of its forwards; from any thread, outside the address's lock.</summary>
    /// <exception cref="AmqpException">It was handed back already, when this reader detached.</exception>
    public void Settle(Forward forward, Outcome outcome)
    {
        if (!address.Settle(this, forward, outcome, settled: true))
        {
            throw new AmqpException(ErrorCode.DetachForced, "the reader detached before settling it; the sender has it back");
        }

        if (Interlocked.Increment(ref _settled) % _restoreStep == 0 && !_withdrawn)
        {
            address.OnCredit(this, _restoreStep);
        }
    }
}

/// <summary>One message handed to a <see cref="LocalConsumer"/>, settled through it.</summary>
internal sealed class LocalDelivery(LocalConsumer consumer, Forward forward) : IDeliveryOrigin
{
    public Forward Forward { get; } = forward;

    public void Settle(Message message, Outcome outcome) => consumer.Settle(Forward, outcome);
}
