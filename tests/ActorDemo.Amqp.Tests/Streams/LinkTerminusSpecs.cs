using ActorDemo.Testing.Routers;
using Akka.Streams;
using Akka.Streams.Dsl;
using Amqp;
using Amqp.Framing;
using TerminusSource = Amqp.Framing.Source;
using Source = Akka.Streams.Dsl.Source;
using Amqp.Types;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Amqp.Tests.Streams;

/// <summary>
/// What our links ask of an address on attach, as a peer sees it: AMQPNetLite's own listener on
/// loopback records the attach.
/// </summary>
public sealed class LinkTerminusSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly AttachRecorder _peer = new();

    [Fact]
    public async Task The_sink_asks_for_a_durable_target_with_the_capabilities_it_is_given()
    {
        Source.Never<Message>().RunWith(AmqpSink.Create(new AmqpSinkSettings(_peer.Endpoint, "temperature") { Durable = true, Capabilities = ["queue"] }), Sys.Materializer());

        var target = (Target)(await _peer.FirstAttach.WaitAsync(Wait)).Target;

        Assert.Equal(("temperature", 1u), (target.Address, target.Durable));
        Assert.Equal([new Symbol("queue")], target.Capabilities);
    }

    [Fact]
    public async Task The_source_asks_for_a_durable_source_with_the_capabilities_it_is_given()
    {
        _ = AmqpSource.Create(new AmqpSourceSettings(_peer.Endpoint, "temperature") { Durable = true, Capabilities = ["queue"] }).RunWith(Sink.Ignore<ReceivedMessage>(), Sys.Materializer());

        var source = (TerminusSource)(await _peer.FirstAttach.WaitAsync(Wait)).Source;

        Assert.Equal(("temperature", 1u), (source.Address, source.Durable));
        Assert.Equal([new Symbol("queue")], source.Capabilities);
    }

    [Fact]
    public async Task By_default_a_link_asks_for_no_durability_and_no_capabilities()
    {
        Source.Never<Message>().RunWith(AmqpSink.Create(new AmqpSinkSettings(_peer.Endpoint, "temperature")), Sys.Materializer());

        var target = (Target)(await _peer.FirstAttach.WaitAsync(Wait)).Target;

        Assert.Equal((0u, (Symbol[]?)null), (target.Durable, target.Capabilities));
    }

    public new void Dispose()
    {
        _peer.Dispose();
        base.Dispose();
    }

    /// <summary>Records the first attach and refuses every link, which is all these specs need of a peer.</summary>
    private sealed class AttachRecorder : IDisposable
    {
        private readonly TaskCompletionSource<Attach> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ListenerPeer _peer;

        public AttachRecorder() =>
            _peer = new ListenerPeer(context =>
            {
                _first.TrySetResult(context.Attach);
                context.Complete(new Error(ErrorCode.NotImplemented) { Description = "this peer only records attaches" });
            });

        public AmqpEndpoint Endpoint => _peer.Endpoint;

        public Task<Attach> FirstAttach => _first.Task;

        public void Dispose() => _peer.Dispose();
    }
}
