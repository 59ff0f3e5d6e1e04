using Amqp;
using Amqp.Framing;

namespace ActorDemo.Amqp;

/// <summary>
/// A message from an <see cref="AmqpSource"/>, or from the embedded router in this process, not
/// yet settled. Whoever processes it settles it exactly once, from any thread: <see cref="Accept"/>,
/// <see cref="Reject"/> or <see cref="Release"/>. Until then it holds one unit of the link's credit.
/// </summary>
public sealed class ReceivedMessage
{
    /// <summary>The condition sent with <see cref="Reject"/> unless another is given.</summary>
    public const string InvalidMessageCondition = "amqp:invalid-field";

    private readonly IDeliveryOrigin _origin;
    private readonly AmqpLinkMetrics _metrics;
    private readonly Action? _onSettled;
    private int _settled;

    /// <param name="onSettled">Told once the message is settled, from whichever thread settles it.</param>
    internal ReceivedMessage(IDeliveryOrigin origin, Message message, AmqpLinkMetrics metrics, Action? onSettled = null)
    {
        _origin = origin;
        _metrics = metrics;
        _onSettled = onSettled;
        Message = message;
    }

    public Message Message { get; }

    /// <summary>Whether it was accepted, rejected or released already.</summary>
    public bool IsSettled => Volatile.Read(ref _settled) == 1;

    /// <summary>Settles the message as processed. False when it was settled before or its link is gone.</summary>
    public bool Accept() => Settle(Outcomes.Accepted);

    /// <summary>Settles the message as invalid; the peer receives the description.</summary>
    public bool Reject(string description, string condition = InvalidMessageCondition) =>
        Settle(new Rejected { Error = new Error(condition) { Description = description } });

    /// <summary>Hands the message back to the peer, which may deliver it elsewhere.</summary>
    public bool Release() => Settle(Outcomes.Released);

    private bool Settle(Outcome outcome)
    {
        if (Interlocked.Exchange(ref _settled, 1) == 1)
        {
            return false;
        }

        try
        {
            _origin.Settle(Message, outcome);
        }
        catch (Exception e) when (e is AmqpException or InvalidOperationException or ObjectDisposedException)
        {
            // The link or consumer went first: the sender has it back and delivers it elsewhere, so nothing is lost.
            return false;
        }
        finally
        {
            _onSettled?.Invoke();
        }

        switch (outcome)
        {
            case Accepted:
                _metrics.OnAccepted();
                break;
            case Rejected:
                _metrics.OnRejected();
                break;
            default:
                _metrics.OnReleased();
                break;
        }

        return true;
    }

    /// <summary>The outcomes without fields, shared: AMQPNetLite only encodes them.</summary>
    private static class Outcomes
    {
        public static readonly Accepted Accepted = new();
        public static readonly Released Released = new();
    }
}
