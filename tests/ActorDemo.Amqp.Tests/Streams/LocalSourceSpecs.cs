using ActorDemo.Testing;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Amqp.Tests.Streams;

/// <summary>The aggregator's read of its own embedded router: no connection, the same promises.</summary>
public sealed class LocalSourceSpecs(ITestOutputHelper output) : ReceivedMessageSourceSpecs(output)
{
    protected override Source<ReceivedMessage, AmqpLinkMetrics> Reading(AmqpSourceSettings settings) => Router.Router.LocalSource(settings);

    [Fact]
    public async Task It_counts_as_a_consumer_so_senders_get_credit_only_while_it_reads()
    {
        var (_, probe) = Reading(Settings with { Credit = 10 }).ToMaterialized(this.SinkProbe<ReceivedMessage>(), Keep.Both).Run(Materializer);
        var sender = await Router.SenderAsync(Address);
        await Eventually.Assert(() => Assert.Equal((1, 10L), (Router.Stats(Address).Consumers, Router.Stats(Address).ProducerCredit)));

        probe.Cancel();

        await Eventually.Assert(() => Assert.Equal((0, 0L), (Router.Stats(Address).Consumers, Router.Stats(Address).ProducerCredit)));
        GC.KeepAlive(sender);
    }
}
