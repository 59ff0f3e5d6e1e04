using ActorDemo.Amqp;
using Amqp;
using Amqp.Listener;

namespace ActorDemo.Testing.Routers;

/// <summary>
/// AMQPNetLite's own listener on a free loopback port, as a peer whose every link a spec decides:
/// what our stages ask on attach, or how they take a peer's misdeeds.
/// </summary>
public sealed class ListenerPeer : ILinkProcessor, IDisposable
{
    private readonly ContainerHost _host;
    private readonly Action<AttachContext> _onAttach;

    /// <param name="onAttach">Completes each attach: with an endpoint, or refusing it.</param>
    public ListenerPeer(Action<AttachContext> onAttach)
    {
        _onAttach = onAttach;
        var port = Loopback.FreePort();
        Endpoint = AmqpEndpoint.Create($"amqp://127.0.0.1:{port}");
        _host = new ContainerHost(new Address($"amqp://127.0.0.1:{port}"));
        // Our links open SASL ANONYMOUS when no user is given.
        _host.Listeners[0].SASL.EnableAnonymousMechanism = true;
        _host.RegisterLinkProcessor(this);
        _host.Open();
    }

    public AmqpEndpoint Endpoint { get; }

    public void Process(AttachContext attachContext) => _onAttach(attachContext);

    public void Dispose() => _host.Close();
}
