using System.Collections.Concurrent;
using ActorDemo.Testing;
using ActorDemo.Testing.Network;
using Akka.Streams;
using Akka.Streams.Dsl;
using Amqp;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Amqp.Tests.Streams;

public sealed class ReconnectSpecs(ITestOutputHelper output) : RouterSpec(output)
{
    private static readonly ReconnectSettings Fast = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500));

    [Fact]
    public async Task Source_and_sink_recover_when_the_router_restarts_and_nothing_accepted_is_lost()
    {
        var seen = new ConcurrentDictionary<string, int>();
        var sourceMetrics = AmqpSource.Create(new AmqpSourceSettings(Router.Endpoint, Address) { Credit = 100, Reconnect = Fast })
            .Select(m =>
            {
                seen.AddOrUpdate((string)m.Message.Body, 1, (_, n) => n + 1);
                m.Accept();
                return m;
            })
            .ToMaterialized(Sink.Ignore<ReceivedMessage>(), Keep.Left)
            .Run(Materializer);

        var (queue, (done, sinkMetrics)) = Source.Queue<string>(2000, OverflowStrategy.Backpressure)
            .Select(body => new Message(body))
            .ToMaterialized(AmqpSink.Create(new AmqpSinkSettings(Router.Endpoint, Address) { MaxInFlight = 200, Reconnect = Fast }), Keep.Both)
            .Run(Materializer);

        for (var i = 0; i < 500; i++)
        {
            await queue.OfferAsync(i.ToString());
        }

        // Both links up and readings flowing first: the spec is about links that break, not links that never came.
        await Eventually.Assert(() =>
        {
            Assert.Equal(LinkStatus.Attached, sinkMetrics.State);
            Assert.NotEmpty(seen);
        });

        // The router goes away with readings in flight, and more are offered while it is down.
        await Router.RestartAsync(async () =>
        {
            await Eventually.Assert(() => Assert.Equal(LinkStatus.Reconnecting, sinkMetrics.State));
            await Eventually.Assert(() => Assert.Equal(LinkStatus.Reconnecting, sourceMetrics.State));
            for (var i = 500; i < 1000; i++)
            {
                await queue.OfferAsync(i.ToString());
            }
        });

        queue.Complete();
        await done.WaitAsync(TimeSpan.FromSeconds(30));

        await Eventually.Assert(() => Assert.Equal(1000, seen.Count), TimeSpan.FromSeconds(30));
        Assert.All(Enumerable.Range(0, 1000), i => Assert.True(seen.ContainsKey(i.ToString()), $"reading {i} was lost"));
        Assert.True(sinkMetrics.Reconnects >= 1);
        Assert.True(sourceMetrics.Reconnects >= 1);
        Assert.Equal(LinkStatus.Attached, sourceMetrics.State);
    }

    [Fact]
    public async Task A_sink_whose_connection_breaks_sends_again_what_it_had_not_seen_settled()
    {
        await using var relay = TcpRelay.To(Router.Port);
        // The receiver holds what it gets unsettled, so that every delivery is in doubt when the connection breaks.
        var receiver = await Router.ReceiverAsync(Address, credit: 100);
        var endpoint = AmqpEndpoint.Create($"amqp://127.0.0.1:{relay.Port}");
        var (queue, (done, metrics)) = Source.Queue<string>(100, OverflowStrategy.Backpressure)
            .Select(body => new Message(body))
            .ToMaterialized(AmqpSink.Create(new AmqpSinkSettings(endpoint, Address) { Reconnect = Fast }), Keep.Both)
            .Run(Materializer);
        for (var i = 0; i < 20; i++)
        {
            await queue.OfferAsync(i.ToString());
            Assert.NotNull(await receiver.ReceiveAsync(Wait));
        }

        relay.Break();

        // Each is sent again over the new connection; this time the receiver accepts.
        var again = new HashSet<string>();
        while (again.Count < 20)
        {
            var message = await receiver.ReceiveAsync(Wait);
            Assert.NotNull(message);
            receiver.Accept(message);
            again.Add((string)message.Body);
        }

        queue.Complete();
        await done.WaitAsync(Wait);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i.ToString()).Order(), again.Order());
        Assert.Equal(20, metrics.Resent);
        Assert.Equal(1, relay.Broken);
    }
}
