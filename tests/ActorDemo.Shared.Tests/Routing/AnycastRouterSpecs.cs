using ActorDemo.Shared.Routing;
using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Amqp;
using Amqp.Framing;
using Xunit;

namespace ActorDemo.Shared.Tests.Routing;

/// <summary>
/// What the embedded router does its own way; what it shares with Qpid Dispatch is in
/// <see cref="RouterConformanceSpecs"/>. Qpid Dispatch gives every sender of an address with a
/// receiver its link capacity (250) and queues what the receivers cannot take yet; the embedded
/// router stores nothing, so it shares out only the credit the receivers gave, and to each
/// sender at most the same link capacity.
/// </summary>
public sealed class AnycastRouterSpecs : IAsyncLifetime
{
    private const string Address = "temperature";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly EmbeddedRouterFixture _router = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _router.DisposeAsync().AsTask();

    [Fact]
    public async Task A_sender_that_attaches_after_an_idle_one_gets_credit_at_once()
    {
        var receiver = await _router.ReceiverAsync(Address, credit: 10);
        var idle = await _router.SenderAsync(Address);
        await Eventually.Assert(() => Assert.Equal(10, _router.Stats(Address).ProducerCredit));

        // The idle sender holds the whole credit and sends nothing: the latecomer must not wait for it.
        var late = await _router.SenderAsync(Address);
        var outcome = late.SendWithOutcome("23");

        var message = await receiver.ReceiveAsync(Wait);
        Assert.Equal("23", message.Body);
        receiver.Accept(message);
        Assert.IsType<Accepted>(await outcome.WaitAsync(Wait));
        GC.KeepAlive(idle);
    }

    [Fact]
    public async Task A_sender_holds_no_more_credit_than_the_link_capacity_however_much_the_receivers_gave()
    {
        var capacity = new RouterOptions().LinkCapacity;
        var receiver = await _router.ReceiverAsync(Address, credit: capacity * 4);
        var sender = await _router.SenderAsync(Address);

        await Eventually.Assert(() => Assert.Equal(capacity, _router.Stats(Address).ProducerCredit));
        Assert.Equal(capacity * 4, _router.Stats(Address).ConsumerCredit);
        GC.KeepAlive((receiver, sender));
    }

    [Fact]
    public async Task Several_senders_together_never_get_more_credit_than_the_receiver_gave()
    {
        var receiver = await _router.ReceiverAsync(Address, credit: 10, autoRestore: false);
        var senders = new[] { await _router.SenderAsync(Address), await _router.SenderAsync(Address), await _router.SenderAsync(Address) };
        var outcomes = senders.SelectMany(s => Enumerable.Range(0, 20).Select(i => s.SendWithOutcome($"{s.Name}-{i}"))).ToList();

        var received = new List<Message>();
        for (var i = 0; i < 10; i++)
        {
            received.Add(await receiver.ReceiveAsync(Wait));
            Assert.True(_router.Stats(Address).ProducerCredit <= 10);
        }

        await Eventually.Assert(() => Assert.Equal(0, _router.Stats(Address).ProducerCredit));
        Assert.Equal(10, _router.Stats(Address).Routed);
        Assert.Null(await receiver.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
        Assert.DoesNotContain(outcomes, o => o.IsCompleted && o.Result is Accepted);
    }
}

public sealed class AnycastRouterSaslSpecs : IAsyncLifetime
{
    private readonly EmbeddedRouterFixture _router = new(user: "sensor", password: "s3cret");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _router.DisposeAsync().AsTask();

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        var error = await Assert.ThrowsAsync<AmqpException>(() => _router.OpenSessionAsync("sensor", "wrong"));
        Assert.Equal(ErrorCode.UnauthorizedAccess, error.Error.Condition.ToString());
    }

    [Fact]
    public async Task The_configured_user_and_password_are_let_in()
    {
        var session = await _router.OpenSessionAsync("sensor", "s3cret");
        Assert.False(session.IsClosed);
    }

    [Fact]
    public async Task A_client_without_a_SASL_layer_is_refused_when_a_password_is_required()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => _router.OpenSessionAsync(sasl: false).WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
