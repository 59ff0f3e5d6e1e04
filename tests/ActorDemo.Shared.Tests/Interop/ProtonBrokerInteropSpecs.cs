using ActorDemo.Shared.Amqp;
using ActorDemo.Testing;
using Akka.Streams;
using Akka.Streams.Dsl;
using Amqp;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Shared.Tests.Interop;

/// <summary>
/// Our source and sink against a third-party AMQP 1.0 endpoint: the Qpid Proton C example broker
/// (Debian libqpid-proton11-dev-examples), built with gcc and started on loopback.
/// </summary>
public sealed class ProtonBrokerInteropSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly int _port = Loopback.FreePort();
    private ExternalProcess? _broker;

    public async Task InitializeAsync()
    {
        var binary = await ProtonExamples.BuildAsync("broker");
        _broker = ExternalProcess.Start(binary, "127.0.0.1", _port.ToString());
        await _broker.WaitForLineAsync(l => l.StartsWith("listening on", StringComparison.Ordinal));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Our_sink_and_source_exchange_messages_through_the_proton_broker()
    {
        var endpoint = AmqpEndpoint.Create($"amqp://127.0.0.1:{_port}");
        var materializer = Sys.Materializer();

        await Source.From(Enumerable.Range(0, 500))
            .Select(i => new Message($"reading-{i}"))
            .RunWith(AmqpSink.Create(new AmqpSinkSettings(endpoint, "temperature") { MaxInFlight = 100 }), materializer)
            .Completion.WaitAsync(Wait);

        var bodies = await AmqpSource.Create(new AmqpSourceSettings(endpoint, "temperature") { Credit = 50 })
            .Select(m =>
            {
                m.Accept();
                return (string)m.Message.Body;
            })
            .Take(500)
            .RunWith(Sink.Seq<string>(), materializer)
            .WaitAsync(Wait);

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"reading-{i}"), bodies);
    }
}
