using System.Net.Sockets;
using Amqp;

namespace ActorDemo.Shared.Amqp;

/// <summary>
/// Gives our clients' <c>amqp://</c> connections a <see cref="SocketTransport"/> with a
/// <see cref="TransferScreen"/>, so a payload that is not AMQP is rejected instead of closing the
/// connection. TLS (<c>amqps://</c>) stays on AMQPNetLite's own transport.
/// </summary>
internal sealed class ScreenedTcpTransport : TransportProvider
{
    private readonly int _maxFrameSize;
    private readonly TimeSpan _connectTimeout;

    public ScreenedTcpTransport(int maxFrameSize, TimeSpan connectTimeout)
    {
        _maxFrameSize = maxFrameSize;
        _connectTimeout = connectTimeout;
        AddressSchemes = ["amqp"];
    }

    public override async Task<IAsyncTransport> CreateAsync(Address address)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // A connect that never completes must not keep its socket when the caller gives up.
            using var timeout = new CancellationTokenSource(_connectTimeout);
            await socket.ConnectAsync(address.Host, address.Port, timeout.Token).ConfigureAwait(false);
            return new SocketTransport(socket, new TransferScreen(_maxFrameSize));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
