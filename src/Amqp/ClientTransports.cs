using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Amqp;

namespace ActorDemo.Amqp;

/// <summary>
/// Connects our clients: TCP for <c>amqp://</c>, TLS on it for <c>amqps://</c> with the endpoint's
/// <see cref="CertificateTrust"/>, and in both an <see cref="AmqpTransport"/> that screens what
/// arrives, so a payload that is not AMQP is rejected instead of closing the connection.
/// </summary>
internal sealed class ClientTransports : TransportProvider
{
    private readonly int _maxFrameSize;
    private readonly TimeSpan _connectTimeout;
    private readonly CertificateTrust _trust;

    public ClientTransports(int maxFrameSize, TimeSpan connectTimeout, CertificateTrust trust)
    {
        _maxFrameSize = maxFrameSize;
        _connectTimeout = connectTimeout;
        _trust = trust;
        AddressSchemes = ["amqp", "amqps"];
    }

    public override async Task<IAsyncTransport> CreateAsync(Address address)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // A connect or handshake that never completes must not keep its socket when the caller gives up.
            using var timeout = new CancellationTokenSource(_connectTimeout);
            await socket.ConnectAsync(address.Host, address.Port, timeout.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (address.UseSsl)
            {
                stream = await AuthenticateAsync(stream, address.Host, timeout.Token).ConfigureAwait(false);
            }

            return new AmqpTransport(stream, new TransferScreen(_maxFrameSize));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<Stream> AuthenticateAsync(Stream stream, string host, CancellationToken cancellationToken)
    {
        string? rejection = null;
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) => (rejection = _trust.Rejects(certificate, chain, errors)) is null,
                },
                cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch (AuthenticationException e)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            // SslStream's own text says only that the callback refused; ours says why and what to do.
            throw new AuthenticationException($"TLS with {host} failed: {rejection ?? e.Message}", e);
        }
    }
}
