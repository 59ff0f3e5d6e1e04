using Amqp;
using Amqp.Framing;

namespace ActorDemo.Amqp;

/// <summary>
/// Where a received message came from, and where its outcome goes: the AMQP link it arrived on,
/// or a router in this process that handed it over without a connection.
/// </summary>
internal interface IDeliveryOrigin
{
    /// <summary>Settles <paramref name="message"/> with its sender.</summary>
    /// <exception cref="AmqpException">The link or consumer is gone; the sender has the message back already.</exception>
    void Settle(Message message, Outcome outcome);
}

/// <summary>A receiving link's deliveries, settled on that link.</summary>
internal sealed class LinkOrigin(ReceiverLink link) : IDeliveryOrigin
{
    // Complete, unlike Accept and its kin, skips the look-up of an ambient transaction we never use.
    public void Settle(Message message, Outcome outcome) => link.Complete(message, outcome);
}
