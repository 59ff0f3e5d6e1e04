using ActorDemo.Testing.Routers;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Amqp.Tests.Streams;

public sealed class AmqpSourceSpecs(ITestOutputHelper output) : ReceivedMessageSourceSpecs(output)
{
    protected override Source<ReceivedMessage, AmqpLinkMetrics> Reading(AmqpSourceSettings settings) => AmqpSource.Create(settings);

    [Fact]
    public async Task Wrong_credentials_fail_the_source_with_a_message_naming_them()
    {
        await using var secured = new EmbeddedRouterFixture(user: "aggregator", password: "s3cret");
        var endpoint = AmqpEndpoint.Create(secured.Router.Url, "aggregator", "wrong");
        var (metrics, probe) = AmqpSource.Create(new AmqpSourceSettings(endpoint, Address))
            .ToMaterialized(this.SinkProbe<ReceivedMessage>(), Keep.Both)
            .Run(Materializer);

        var error = probe.ExpectSubscriptionAndError();
        Assert.IsType<AmqpLinkException>(error);
        Assert.Contains("credentials", error.Message);
        Assert.Equal(LinkStatus.Failed, metrics.State);
    }
}
