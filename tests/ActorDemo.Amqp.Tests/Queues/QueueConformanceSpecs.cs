using ActorDemo.Testing.Routers;
using Akka.Streams;
using Akka.Streams.Dsl;
using Amqp;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Amqp.Tests.Queues;

/// <summary>
/// What ActorDemo relies on from a queue (store and forward, unlike an anycast address): kept while
/// no receiver is attached, given again to the next consumer when one leaves deliveries unsettled,
/// and carried by our own stages. One set of specs for every broker; where brokers differ, a spec
/// says so by name.
/// </summary>
public abstract class QueueConformanceSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly string _queue = $"readings-{Guid.NewGuid():N}";
    private TestRouter? _broker;

    private TestRouter Broker => _broker ?? throw new InvalidOperationException("The broker has not started.");

    /// <summary>The address of queue <paramref name="name"/> on this broker.</summary>
    protected abstract string QueueAddress(string name);

    protected abstract Task<TestRouter> StartBrokerAsync();

    /// <summary>Whether deliveries a consumer left unsettled are given to the next one (a broker that takes readings needs it).</summary>
    protected abstract bool RedeliversUnsettled { get; }

    /// <summary>Whether messages marked durable are on disk, so that the broker's restart keeps them.</summary>
    protected abstract bool KeepsDurableMessages { get; }

    public async Task InitializeAsync() => _broker = await StartBrokerAsync();

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Messages_sent_while_no_receiver_is_attached_are_accepted_kept_and_reach_a_receiver_that_attaches_later()
    {
        var sender = await Broker.SenderAsync(QueueAddress(_queue));
        for (var i = 0; i < 5; i++)
        {
            await sender.SendAsync(new Message($"reading {i}"));
        }

        var receiver = await Broker.ReceiverAsync(QueueAddress(_queue), credit: 10);

        for (var i = 0; i < 5; i++)
        {
            var message = await receiver.ReceiveAsync(Wait);
            Assert.Equal($"reading {i}", message?.Body);
            receiver.Accept(message);
        }
    }

    /// <summary>The Proton example broker takes a message off its queue when it sends it: one a consumer never settled is gone with the consumer.</summary>
    [Fact]
    public async Task Deliveries_a_consumer_left_unsettled_go_to_the_next_consumer_once_it_is_gone_except_on_the_proton_example_broker()
    {
        var sender = await Broker.SenderAsync(QueueAddress(_queue));
        for (var i = 0; i < 3; i++)
        {
            await sender.SendAsync(new Message($"reading {i}"));
        }

        var firstSession = await Broker.OpenSessionAsync();
        var first = await Broker.ReceiverAsync(QueueAddress(_queue), credit: 10, session: firstSession);
        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await first.ReceiveAsync(Wait));
        }

        await firstSession.Connection.CloseAsync();
        var next = await Broker.ReceiverAsync(QueueAddress(_queue), credit: 10);
        if (!RedeliversUnsettled)
        {
            Assert.Null(await next.ReceiveAsync(TimeSpan.FromSeconds(1)));
            return;
        }

        var again = new List<object?>();
        for (var i = 0; i < 3; i++)
        {
            var message = await next.ReceiveAsync(Wait);
            again.Add(message?.Body);
            next.Accept(message);
        }

        Assert.Equal(["reading 0", "reading 1", "reading 2"], again.Order());
    }

    /// <summary>The Proton example broker keeps its queues in memory only: a restart empties them.</summary>
    [Fact]
    public async Task Messages_our_sink_marks_durable_outlive_a_restart_of_the_broker_except_on_the_proton_example_broker()
    {
        var sent = Source.From(Enumerable.Range(0, 20)).Select(i => new Message($"reading {i}"))
            .RunWith(AmqpSink.Create(new AmqpSinkSettings(Broker.Endpoint, QueueAddress(_queue)) { Durable = true }), Sys.Materializer());
        await sent.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(20, sent.Metrics.Accepted);

        await Broker.RestartAsync();

        var received = AmqpSource.Create(new AmqpSourceSettings(Broker.Endpoint, QueueAddress(_queue)) { Durable = true })
            .Select(message =>
            {
                message.Accept();
                return (string)message.Message.Body;
            })
            .TakeWithin(KeepsDurableMessages ? Wait : TimeSpan.FromSeconds(1))
            .Take(20)
            .RunWith(Sink.Seq<string>(), Sys.Materializer());

        Assert.Equal(KeepsDurableMessages ? Enumerable.Range(0, 20).Select(i => $"reading {i}") : [], await received.WaitAsync(Wait + Wait));
    }

    [Fact]
    public async Task Our_sink_sends_to_a_queue_no_one_reads_and_our_source_takes_every_message_afterwards()
    {
        var endpoint = Broker.Endpoint;
        var sent = Source.From(Enumerable.Range(0, 200)).Select(i => new Message($"reading {i}"))
            .RunWith(AmqpSink.Create(new AmqpSinkSettings(endpoint, QueueAddress(_queue))), Sys.Materializer());
        await sent.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(200, sent.Metrics.Accepted);

        var received = await AmqpSource.Create(new AmqpSourceSettings(endpoint, QueueAddress(_queue)))
            .Select(message =>
            {
                message.Accept();
                return (string)message.Message.Body;
            })
            .Take(200)
            .RunWith(Sink.Seq<string>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"reading {i}"), received);
    }
}

public sealed class RabbitMqQueueSpecs(ITestOutputHelper output) : QueueConformanceSpecs(output)
{
    protected override string QueueAddress(string name) => RabbitMqFixture.Queue(name);

    protected override bool RedeliversUnsettled => true;

    protected override bool KeepsDurableMessages => true;

    protected override async Task<TestRouter> StartBrokerAsync() => await RabbitMqFixture.StartAsync();
}

public sealed class ProtonBrokerQueueSpecs(ITestOutputHelper output) : QueueConformanceSpecs(output)
{
    protected override string QueueAddress(string name) => name;

    protected override bool RedeliversUnsettled => false;

    protected override bool KeepsDurableMessages => false;

    protected override async Task<TestRouter> StartBrokerAsync() => await ProtonBrokerFixture.StartAsync();
}
