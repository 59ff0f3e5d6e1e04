using ActorDemo.Shared.Amqp;
using ActorDemo.Shared.Routing;
using Amqp;
using Amqp.Framing;

namespace ActorDemo.Testing;

/// <summary>A real embedded router on a free loopback port, and plain AMQPNetLite clients of it.</summary>
public sealed class RouterFixture : IAsyncDisposable
{
    private readonly List<Connection> _connections = [];

    public RouterFixture(string? user = null, string? password = null, int? port = null)
    {
        Options = new RouterOptions { Port = port ?? Loopback.FreePort(), User = user, Password = password };
        Router = new AnycastRouter(Options);
        Router.Start();
    }

    public RouterOptions Options { get; }

    public AnycastRouter Router { get; private set; }

    public AmqpEndpoint Endpoint => AmqpEndpoint.Create(Router.Url, Options.User, Options.Password);

    public AddressStatistics Stats(string address) =>
        Router.Statistics().SingleOrDefault(s => s.Address == address)
        ?? new AddressStatistics(address, 0, 0, 0, 0, 0, 0);

    /// <summary>Stops the router, as a crash of the router would, and starts a new one on the same port.</summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        await Router.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        Router = new AnycastRouter(Options);
        Router.Start();
    }

    public async Task<Session> OpenSessionAsync(string? user = null, string? password = null)
    {
        var factory = new ConnectionFactory();
        if ((user ?? Options.User) is null)
        {
            factory.SASL.Profile = global::Amqp.Sasl.SaslProfile.Anonymous;
        }

        var address = new Address("127.0.0.1", Options.Port, user ?? Options.User, password ?? Options.Password, "/", "amqp");
        var connection = await factory.CreateAsync(address);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return new Session(connection);
    }

    public async Task<SenderLink> SenderAsync(string address, Session? session = null)
    {
        session ??= await OpenSessionAsync();
        var attached = NewAttachSignal(out var onAttached);
        var sender = new SenderLink(session, $"sender-{Guid.NewGuid():N}", new Target { Address = address }, onAttached);
        await attached.WaitAsync(TimeSpan.FromSeconds(10));
        return sender;
    }

    public async Task<ReceiverLink> ReceiverAsync(string address, int credit, bool autoRestore = true)
    {
        var session = await OpenSessionAsync();
        var attached = NewAttachSignal(out var onAttached);
        var receiver = new ReceiverLink(session, $"receiver-{Guid.NewGuid():N}", new Source { Address = address }, onAttached);
        await attached.WaitAsync(TimeSpan.FromSeconds(10));
        receiver.SetCredit(credit, autoRestore);
        return receiver;
    }

    private static Task NewAttachSignal(out OnAttached onAttached)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        onAttached = (_, _) => signal.TrySetResult();
        return signal.Task;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            try
            {
                await connection.CloseAsync();
            }
            catch (AmqpException)
            {
            }
        }

        await Router.DisposeAsync();
    }
}
