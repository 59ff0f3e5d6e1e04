using Akka.Actor;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>
/// The way from the <c>max</c> link's outcomes to the singleton on the same node: the link is built
/// before the singleton starts, so the singleton attaches itself here when it does. A window's
/// message carries its start as message-id (<see cref="Shared.Readings.ReadingCodec.EncodeWindow"/>), by which the
/// singleton knows which window the consumer accepted.
/// </summary>
public sealed class MaximaDeliveries
{
    private IActorRef? _singleton;

    public void Attach(IActorRef singleton) => Volatile.Write(ref _singleton, singleton);

    /// <summary>Called on the link's stage for each message the consumer accepted.</summary>
    public void Accepted(Amqp.Message message)
    {
        if (message.Properties?.GetMessageId() is ulong startMs)
        {
            Volatile.Read(ref _singleton)?.Tell(new MaximumDelivered(DateTimeOffset.FromUnixTimeMilliseconds((long)startMs)));
        }
    }
}
