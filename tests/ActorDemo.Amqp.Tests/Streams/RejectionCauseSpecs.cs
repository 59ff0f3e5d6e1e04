using ActorDemo.Testing.Routers;
using Akka.Streams;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Source = Akka.Streams.Dsl.Source;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Amqp.Tests.Streams;

/// <summary>
/// How the sink reads a rejected outcome: the peer's judgement of the message (counted, not sent
/// again), or the settlement of a dying connection (sent again). A peer here rejects the first
/// transfer with a scripted error and accepts the rest.
/// </summary>
public sealed class RejectionCauseSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private ListenerPeer? _peer;

    [Fact]
    public async Task The_illegal_state_AMQPNetLite_gives_the_deliveries_of_a_closing_connection_is_a_loss_and_the_message_goes_again()
    {
        var (metrics, received) = await SendOneRejectedFirstWith(new Error(ErrorCode.IllegalState) { Description = "The connection is closing." });

        Assert.Equal((1, 0, 2), (metrics.Accepted, metrics.Rejected, received));
    }

    [Fact]
    public async Task A_peers_illegal_state_with_a_reason_of_its_own_is_a_rejection_and_the_message_does_not_go_again()
    {
        var (metrics, received) = await SendOneRejectedFirstWith(new Error(ErrorCode.IllegalState) { Description = "no such sensor" });

        Assert.Equal((0, 1, 1), (metrics.Accepted, metrics.Rejected, received));
    }

    private async Task<(AmqpLinkMetrics Metrics, int Received)> SendOneRejectedFirstWith(Error rejection)
    {
        var processor = new FirstRejected(rejection);
        _peer = new ListenerPeer(context => context.Complete(new TargetLinkEndpoint(processor, context.Link), 10));
        var (done, metrics) = Source.Single(new Message("21")).RunWith(AmqpSink.Create(new AmqpSinkSettings(_peer.Endpoint, "temperature")), Sys.Materializer());
        await done.WaitAsync(Wait);
        return (metrics, processor.Received);
    }

    public new void Dispose()
    {
        _peer?.Dispose();
        base.Dispose();
    }

    private sealed class FirstRejected(Error rejection) : IMessageProcessor
    {
        private int _received;

        public int Credit => 10;

        public int Received => Volatile.Read(ref _received);

        public void Process(MessageContext messageContext)
        {
            if (Interlocked.Increment(ref _received) == 1)
            {
                messageContext.Complete(rejection);
            }
            else
            {
                messageContext.Complete();
            }
        }
    }
}
