using Amqp;
using Amqp.Framing;

namespace ActorDemo.Amqp.Routing;

/// <summary>What an address has seen, for inspection and tests.</summary>
/// <param name="ProducerCredit">Credit granted to producers and not yet used.</param>
/// <param name="ConsumerCredit">Credit consumers gave and the router has not yet used.</param>
/// <param name="Released">Messages handed back to their producer undelivered (released, or modified when their consumer left).</param>
public sealed record AddressStatistics(
    string Address, int Producers, int Consumers, long ProducerCredit, long ConsumerCredit, long Routed, long Released);

/// <summary>
/// One anycast address, with the semantics of Qpid Dispatch's balanced distribution: nothing is
/// stored (a message caught in a credit race waits for the next credit of an attached consumer,
/// like Dispatch's undelivered list); producers get credit only while consumers give some, and
/// never more in total than the consumers can take, nor more to one producer than the link
/// capacity; each message goes to the next consumer with
/// credit; the consumer's outcome goes back to the producer. One lock guards the address; AMQPNetLite calls us holding none of
/// its own, so calling into links under it cannot deadlock.
/// </summary>
internal sealed class AnycastAddress(string name, int linkCapacity)
{
    /// <summary>
    /// The most messages held for a moment when credit was granted just before a consumer used it
    /// elsewhere (AMQPNetLite counts a transfer before it reaches us, so grants can overlap by a few).
    /// Nothing is held while no consumer is attached.
    /// </summary>
    private const int HeldLimit = 1000;

    /// <summary>
    /// The most a producer uses before it is topped up, though its share be larger. Each grant is a
    /// flow, and AMQPNetLite's session grants a window of 2048 transfers (not settable) from each
    /// flow it sends: a producer that used the window up waits a round trip, behind the dispositions
    /// on their way to it, for the session to open it again (docs/benchmarks.md).
    /// </summary>
    private const int TopUpStep = 1024;

    /// <summary>What Qpid Dispatch answers for a delivery whose consumer detached before settling it.</summary>
    private static readonly Modified DetachedUnsettled = new() { DeliveryFailed = true };

    private readonly object _gate = new();
    private readonly Queue<(Producer Producer, RoutedMessage Message)> _held = new();
    private readonly List<Producer> _producers = [];
    private readonly List<Consumer> _consumers = [];
    private int _next;
    private long _routed;
    private long _released;

    public string Name { get; } = name;

    public AddressStatistics Statistics()
    {
        lock (_gate)
        {
            return new AddressStatistics(
                Name, _producers.Count, _consumers.Count, _producers.Sum(p => p.Outstanding), AvailableCredit(), _routed, _released);
        }
    }

    public void Add(Producer producer)
    {
        lock (_gate)
        {
            _producers.Add(producer);
            Rebalance();
        }
    }

    public void Remove(Producer producer)
    {
        lock (_gate)
        {
            _producers.Remove(producer);
            Rebalance();
        }
    }

    public void Add(Consumer consumer)
    {
        lock (_gate)
        {
            _consumers.Add(consumer);
            Rebalance();
        }
    }

    /// <summary>
    /// The consumer detached. What it held unsettled goes back to the producers as modified, so
    /// nothing is dropped silently: a link's by AMQPNetLite, which settles it as released through
    /// <see cref="Settle"/>; a reader's in this process here.
    /// </summary>
    public void Remove(Consumer consumer)
    {
        lock (_gate)
        {
            _consumers.Remove(consumer);
            foreach (var unsettled in consumer.Detach())
            {
                _released++;
                Dispose(unsettled.Producer, unsettled.Inbound, DetachedUnsettled);
            }

            if (_consumers.Count == 0)
            {
                while (_held.TryDequeue(out var held))
                {
                    Release(held.Producer, held.Message);
                }
            }

            Rebalance();
        }
    }

    public void OnCredit(Consumer consumer, int delta)
    {
        lock (_gate)
        {
            consumer.OnFlow(delta);
            if (consumer.IsDraining)
            {
                // Nothing is ever queued here, so a drain completes at once.
                consumer.CompleteDrain();
                consumer.Clear();
            }

            while (_held.Count > 0 && NextConsumerWithCredit() is { } next)
            {
                var (producer, message) = _held.Dequeue();
                Forward(next, producer, message);
            }

            Rebalance();
        }
    }

    public void Route(Producer producer, RoutedMessage message)
    {
        lock (_gate)
        {
            producer.Outstanding = Math.Max(0, producer.Outstanding - 1);
            if (NextConsumerWithCredit() is { } consumer)
            {
                Forward(consumer, producer, message);
            }
            else if (_consumers.Count > 0 && _held.Count < HeldLimit)
            {
                _held.Enqueue((producer, message));
            }
            else
            {
                // No consumer at all: anycast stores nothing.
                Release(producer, message);
            }

            if (NeedsTopUp(producer, FairShare(AvailableCredit())))
            {
                Rebalance();
            }
        }
    }

    /// <summary>The consumer takes no more messages for now; what it holds unsettled it still settles.</summary>
    public void Withdraw(Consumer consumer)
    {
        lock (_gate)
        {
            consumer.Clear();
            Rebalance();
        }
    }

    /// <summary>The consumer settled a forward: its outcome goes to the producer. False when it had gone back to the producer already.</summary>
    public bool Settle(Consumer consumer, Forward forward, DeliveryState? outcome, bool settled)
    {
        lock (_gate)
        {
            if (!consumer.Confirm(forward, outcome, settled))
            {
                return false;
            }

            if (outcome is Released && !_consumers.Contains(consumer))
            {
                // The consumer detached with it unsettled (AMQPNetLite removes the consumer first, then
                // releases what it held): Qpid Dispatch answers such a delivery `modified`, delivery-failed.
                outcome = DetachedUnsettled;
            }

            if (outcome is Released or Modified)
            {
                _released++;
            }

            Dispose(forward.Producer, forward.Inbound, outcome ?? new Accepted());
            return true;
        }
    }

    private void Forward(Consumer consumer, Producer producer, RoutedMessage message)
    {
        _routed++;
        var forward = new Forward(message, producer) { Format = message.Format };
        consumer.Send(forward);
        if (consumer.SettlesOnSend)
        {
            // The consumer asked for pre-settled messages: it will send no outcome.
            Dispose(producer, message, new Accepted());
        }
    }

    private void Release(Producer producer, RoutedMessage message)
    {
        _released++;
        Dispose(producer, message, new Released());
    }

    private static void Dispose(Producer producer, Message message, DeliveryState outcome)
    {
        try
        {
            producer.Link.DisposeMessage(message, outcome, true);
        }
        catch (AmqpException)
        {
            // The producer detached; it settled the message itself when its link closed.
        }
    }

    private Consumer? NextConsumerWithCredit()
    {
        for (var i = 0; i < _consumers.Count; i++)
        {
            var consumer = _consumers[(_next + i) % _consumers.Count];
            if (consumer.Credit > 0)
            {
                _next = (_next + i + 1) % _consumers.Count;
                return consumer;
            }
        }

        return null;
    }

    /// <summary>What one producer may hold of <paramref name="available"/> consumer credit.</summary>
    private int FairShare(int available) => _producers.Count == 0 ? 0 : Math.Min(available / _producers.Count, linkCapacity);

    /// <summary>Whether the producer has used half its share, or <see cref="TopUpStep"/> of it.</summary>
    private static bool NeedsTopUp(Producer producer, int share) =>
        share - producer.Outstanding >= Math.Min((share + 1) / 2, TopUpStep);

    private int AvailableCredit()
    {
        var total = 0;
        foreach (var consumer in _consumers)
        {
            total += consumer.Credit;
        }

        return total;
    }

    /// <summary>
    /// Shares the consumers' credit among the producers: each is topped up to its fair share once
    /// it has used half of it or <see cref="TopUpStep"/>, and the credit granted never exceeds what
    /// the consumers gave.
    /// </summary>
    private void Rebalance()
    {
        if (_producers.Count == 0)
        {
            return;
        }

        var available = AvailableCredit();
        var share = FairShare(available);
        var granted = 0;
        foreach (var producer in _producers)
        {
            granted += producer.Outstanding;
        }

        if (granted + _held.Count > available)
        {
            // Consumers left or took credit back: withdraw what they can no longer take.
            foreach (var producer in _producers.Where(p => p.Outstanding > share))
            {
                Grant(producer, share);
            }

            return;
        }

        var spare = available - granted - _held.Count;
        var target = Math.Max(share, 1);
        if (spare < target && _producers.Any(p => p.Outstanding * 2 <= target) && _producers.Any(p => p.Outstanding > share))
        {
            // A producer that attached late, or used its credit, must not wait for an idle one to
            // use up a share it got while alone: take back what is above the fair share.
            foreach (var producer in _producers.Where(p => p.Outstanding > share))
            {
                spare += producer.Outstanding - share;
                Grant(producer, share);
            }
        }

        for (var i = 0; i < _producers.Count && spare > 0; i++)
        {
            // Rotate the starting point so that a remainder smaller than the producers does not always favour the first.
            var producer = _producers[(_next + i) % _producers.Count];
            if (!NeedsTopUp(producer, target))
            {
                continue;
            }

            var give = Math.Min(target - producer.Outstanding, spare);
            if (give > 0)
            {
                spare -= give;
                Grant(producer, producer.Outstanding + give);
            }
        }
    }

    private static void Grant(Producer producer, int credit)
    {
        producer.Outstanding = credit;
        try
        {
            producer.Link.SetCredit(credit, drain: false, autoRestore: false);
        }
        catch (AmqpException)
        {
            // Detaching; its closed callback removes it.
        }
    }
}
