using ActorDemo.Readings;
using Akka.Actor;
using Amqp;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>
/// Tells the singleton running on this node which windows the peer of <c>max</c> accepted: only
/// then do the nodes let go of the window's decision, so that a singleton whose node dies with a
/// window on its way leaves it to the next one.
/// </summary>
/// <remarks>Told on the <c>max</c> sink's stage; the singleton attaches itself where it starts.</remarks>
public sealed class MaximaAcceptance
{
    private IActorRef _singleton = ActorRefs.Nobody;

    public void Attach(IActorRef singleton) => Volatile.Write(ref _singleton, singleton);

    /// <summary>Forgets <paramref name="singleton"/> unless another has attached since.</summary>
    public void Detach(IActorRef singleton) => Interlocked.CompareExchange(ref _singleton, ActorRefs.Nobody, singleton);

    public void OnAccepted(Message message)
    {
        if (ReadingCodec.WindowStartOf(message) is { } start)
        {
            Volatile.Read(ref _singleton).Tell(new MaximumAccepted(start));
        }
    }
}
