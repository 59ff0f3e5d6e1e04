using ActorDemo.Amqp;
using Amqp;
using Amqp.Framing;
using Amqp.Sasl;

namespace ActorDemo.Testing.Routers;

/// <summary>
/// A real AMQP router on a free loopback port, started for a test and stopped after it, with plain
/// AMQPNetLite clients of it: the embedded router or Apache Qpid Dispatch Router.
/// </summary>
public abstract class TestRouter : IAsyncDisposable
{
    private readonly List<Connection> _connections = [];

    /// <summary>Which router this is, for messages and spec output.</summary>
    public abstract string Name { get; }

    public abstract int Port { get; }

    public string Url => $"amqp://127.0.0.1:{Port}";

    public AmqpEndpoint Endpoint => AmqpEndpoint.Create(Url, User, Password);

    /// <summary>The SASL PLAIN user the router lets in; none for ANONYMOUS.</summary>
    protected virtual string? User => null;

    protected virtual string? Password => null;

    /// <summary>Stops the router, as a crash would, and starts it again on the same port.</summary>
    public abstract Task RestartAsync(Func<Task>? whileDown = null);

    /// <summary>A connection and session; <paramref name="sasl"/> false opens it with no SASL layer at all.</summary>
    public async Task<Session> OpenSessionAsync(string? user = null, string? password = null, bool sasl = true) =>
        new(await OpenConnectionAsync(user, password, sasl));

    /// <summary>A connection the router has answered with its open (it may close it right after, with a reason).</summary>
    public async Task<Connection> OpenConnectionAsync(string? user = null, string? password = null, bool sasl = true)
    {
        var factory = new ConnectionFactory();
        if (sasl)
        {
            user ??= User;
            password ??= Password;
            factory.SASL.Profile = user is null ? SaslProfile.Anonymous : null;
        }
        else
        {
            // AMQPNetLite opens a SASL layer whenever the address carries a user.
            user = password = null;
        }

        var address = new Address("127.0.0.1", Port, user, password, "/", "amqp");
        var connection = await factory.CreateAsync(address);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection;
    }

    /// <summary>A sending link; <see cref="SenderSettleMode.Mixed"/> lets a send without an outcome callback go pre-settled.</summary>
    public async Task<SenderLink> SenderAsync(string address, Session? session = null, SenderSettleMode settleMode = SenderSettleMode.Unsettled)
    {
        session ??= await OpenSessionAsync();
        var attached = NewAttachSignal(out var onAttached);
        var attach = new Attach
        {
            Source = new Source(),
            Target = new Target { Address = address },
            SndSettleMode = settleMode,
        };
        var sender = new SenderLink(session, $"sender-{Guid.NewGuid():N}", attach, onAttached);
        await attached.WaitAsync(TimeSpan.FromSeconds(10));
        return sender;
    }

    public async Task<ReceiverLink> ReceiverAsync(string address, int credit, bool autoRestore = true, Session? session = null)
    {
        session ??= await OpenSessionAsync();
        var attached = NewAttachSignal(out var onAttached);
        var receiver = new ReceiverLink(session, $"receiver-{Guid.NewGuid():N}", new Source { Address = address }, onAttached);
        await attached.WaitAsync(TimeSpan.FromSeconds(10));
        receiver.SetCredit(credit, autoRestore);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        List<Connection> connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            try
            {
                await connection.CloseAsync();
            }
            catch (Exception e) when (e is AmqpException or ObjectDisposedException or TimeoutException)
            {
                // The router may be gone already; the connection is closed either way.
            }
        }

        await StopAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract ValueTask StopAsync();

    private static Task NewAttachSignal(out OnAttached onAttached)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        onAttached = (_, _) => signal.TrySetResult();
        return signal.Task;
    }
}
