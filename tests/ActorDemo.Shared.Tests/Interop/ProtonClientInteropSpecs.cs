using ActorDemo.Amqp;
using ActorDemo.Testing;
using Akka.Streams.Dsl;
using Amqp;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Shared.Tests.Interop;

/// <summary>The embedded router and our stages with Apache Qpid Proton clients (Debian python3-qpid-proton).</summary>
public sealed class ProtonClientInteropSpecs(ITestOutputHelper output) : RouterSpec(output)
{
    private const string Python = "/usr/bin/python3";
    private static readonly string Client = Path.Combine(AppContext.BaseDirectory, "Interop", "proton_client.py");

    private ExternalProcess Proton(string mode, int count) =>
        ExternalProcess.Start(Python, Client, mode, Router.Router.Url, Address, count.ToString());

    [Fact]
    public async Task A_proton_client_that_trusts_the_CA_sends_to_the_router_over_TLS()
    {
        using var certificates = new TestCertificates();
        await using var router = new ActorDemo.Testing.Routers.EmbeddedRouterFixture(certificates: certificates);
        var receiver = await router.ReceiverAsync(Address, credit: 10);

        await using var sender = ExternalProcess.Start(Python, [Client, "send", $"amqps://localhost:{router.Port}", Address, "3", "--ca", certificates.CaFile], new Dictionary<string, string>());

        // The sender waits for each outcome, so each is accepted as it arrives.
        for (var i = 0; i < 3; i++)
        {
            var message = await receiver.ReceiveAsync(Wait);
            Assert.Equal(i.ToString(), message?.Body);
            receiver.Accept(message);
        }

        Assert.Equal(0, await sender.WaitForExitAsync(Wait));
    }

    [Fact]
    public async Task A_proton_sender_reaches_a_proton_receiver_through_the_router()
    {
        await using var receiver = Proton("receive", 10);
        await receiver.WaitForLineAsync(l => l == "attached");
        await using var sender = Proton("send", 10);

        Assert.Equal(0, await sender.WaitForExitAsync(Wait));
        Assert.Equal(0, await receiver.WaitForExitAsync(Wait));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), receiver.Lines.Skip(1));
    }

    [Fact]
    public async Task Our_sink_reaches_a_proton_receiver()
    {
        await using var receiver = Proton("receive", 20);
        await receiver.WaitForLineAsync(l => l == "attached");

        await Source.From(Enumerable.Range(0, 20))
            .Select(i => new Message($"reading-{i}"))
            .RunWith(AmqpSink.Create(new AmqpSinkSettings(Router.Endpoint, Address)), Materializer)
            .Completion.WaitAsync(Wait);

        Assert.Equal(0, await receiver.WaitForExitAsync(Wait));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"reading-{i}"), receiver.Lines.Skip(1));
    }

    [Fact]
    public async Task A_proton_sender_reaches_our_source()
    {
        var bodies = AmqpSource.Create(new AmqpSourceSettings(Router.Endpoint, Address))
            .Select(m =>
            {
                m.Accept();
                return (string)m.Message.Body;
            })
            .Take(10)
            .RunWith(Sink.Seq<string>(), Materializer);
        await Eventually.Assert(() => Assert.Equal(1, Router.Stats(Address).Consumers));

        await using var sender = Proton("send", 10);

        Assert.Equal(0, await sender.WaitForExitAsync(Wait));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), await bodies.WaitAsync(Wait));
    }
}
