using ActorDemo.Amqp.Routing;
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
    public async Task A_sender_with_a_large_share_is_topped_up_at_every_session_window_not_only_when_half_is_used()
    {
        // AMQPNetLite's session takes 2048 transfers per flow it sends: a sender that waited for half of
        // a 20,000 share to be used would stall at the end of every window, a round trip each time.
        const int sessionWindow = 2048;
        var capacity = new RouterOptions().LinkCapacity;
        var receiver = await _router.ReceiverAsync(Address, credit: capacity * 4);
        var sender = await _router.SenderAsync(Address);
        await Eventually.Assert(() => Assert.Equal(capacity, _router.Stats(Address).ProducerCredit));

        var outcomes = Enumerable.Range(0, sessionWindow).Select(i => sender.SendWithOutcome($"{i}")).ToList();
        for (var i = 0; i < sessionWindow; i++)
        {
            receiver.Accept(await receiver.ReceiveAsync(Wait));
        }

        await Task.WhenAll(outcomes).WaitAsync(Wait);
        Assert.Equal(capacity, _router.Stats(Address).ProducerCredit);
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

/// <summary>What a client can hold of the embedded router: connections are bounded, and one that never opens AMQP is closed.</summary>
public sealed class RouterConnectionLimitSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly EmbeddedRouterFixture _router = new(configure: options => options with { MaxConnections = 2, OpenTimeout = TimeSpan.FromMilliseconds(500) });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _router.DisposeAsync().AsTask();

    [Fact]
    public async Task A_connection_beyond_the_limit_is_refused_with_resource_limit_exceeded_and_the_others_stay_open()
    {
        var held = new[] { await _router.OpenSessionAsync(), await _router.OpenSessionAsync() };

        var refused = await ClosingErrorAsync(await _router.OpenConnectionAsync());

        Assert.Equal(ErrorCode.ResourceLimitExceeded, refused.Condition.ToString());
        Assert.Contains("its limit (RouterOptions.MaxConnections)", refused.Description);
        Assert.All(held, session => Assert.False(session.IsClosed));
    }

    [Fact]
    public async Task A_connection_closed_by_its_client_frees_its_place()
    {
        var first = await _router.OpenSessionAsync();
        await _router.OpenSessionAsync();

        await first.Connection.CloseAsync();

        await Eventually.Assert(() => Assert.Equal(1, _router.Router.Connections), Wait);
        var next = await _router.SenderAsync("temperature", await _router.OpenSessionAsync());
        Assert.False(next.IsClosed);
    }

    [Theory]
    [InlineData("nothing")]
    [InlineData("only the protocol header")]
    [InlineData("only SASL")]
    public async Task A_connection_that_does_not_open_AMQP_in_time_is_closed_and_freed(string sent)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", _router.Port);
        var stream = client.GetStream();
        byte[] amqp = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 1, 0, 0];
        byte[] sasl = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 3, 1, 0, 0];
        if (sent != "nothing")
        {
            await stream.WriteAsync(sent == "only SASL" ? sasl : amqp);
        }

        // The router answers what it was sent, then hangs up: the stream ends.
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(Wait);
        while (await stream.ReadAsync(buffer, timeout.Token) > 0)
        {
        }

        await Eventually.Assert(() => Assert.Equal(0, _router.Router.Connections), Wait);
    }

    /// <summary>The error the router closed the connection with; AMQPNetLite reports it even if the close came before this call.</summary>
    private static Task<Error> ClosingErrorAsync(Connection connection)
    {
        var closed = new TaskCompletionSource<Error>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.AddClosedCallback((_, error) => closed.TrySetResult(error));
        return closed.Task.WaitAsync(Wait);
    }
}
