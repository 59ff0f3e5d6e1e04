using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Amqp;
using Amqp.Framing;
using Amqp.Sasl;
using Amqp.Types;
using Encoder = Amqp.Types.Encoder;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Amqp.Routing;

/// <summary>
/// The router's TCP port. Every connection's protocol header is read here, so that one port serves
/// clients that open with a SASL layer and clients that open straight with AMQP, as a Qpid Dispatch
/// listener with <c>authenticatePeer: no</c> does. The SASL exchange (ANONYMOUS, or PLAIN against
/// the configured user) runs here too, each connection on its own, so that a peer that stalls in it
/// holds up nobody else. What passes is handed to AMQPNetLite's listener as a ready transport.
/// With a certificate the port serves <c>amqps</c>: TLS first, and plain AMQP from this machine only.
/// </summary>
internal sealed class RouterPort : TransportProvider
{
    /// <summary>How often refused connections are logged at most, after the first.</summary>
    private static readonly TimeSpan RefusalReportInterval = TimeSpan.FromSeconds(10);

    private static readonly byte[] SaslHeader = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 3, 1, 0, 0];
    private static readonly byte[] AmqpHeader = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 1, 0, 0];
    private static readonly Symbol Anonymous = new("ANONYMOUS");
    private static readonly Symbol Plain = new("PLAIN");

    /// <summary>A sasl-init is a mechanism name and a short response; anything larger is not one.</summary>
    private const int MaxSaslFrame = 4096;

    private const byte SaslFrameType = 1;

    private const byte AmqpFrameType = 0;

    private readonly RouterOptions _options;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly X509Certificate2? _certificate;
    private readonly Channel<IAsyncTransport> _ready = Channel.CreateUnbounded<IAsyncTransport>();
    private readonly CancellationTokenSource _closing = new();
    private readonly ThrottledReport<EndPoint?> _refusals;
    private readonly ConcurrentDictionary<AmqpTransport, byte> _heldByListener = new();
    private int _connections;

    private RouterPort(RouterOptions options, ILogger logger, Socket socket)
    {
        _options = options;
        _certificate = options.LoadCertificate();
        _logger = logger;
        _socket = socket;
        AddressSchemes = ["amqp"];
        _refusals = new ThrottledReport<EndPoint?>(RefusalReportInterval, (count, latest) => _logger.LogWarning(
            "Refused {Count} connection(s), the latest from {Peer}: the router holds {Max} connections, its limit; raise {Setting}, or find the client that opens so many",
            count,
            latest,
            _options.MaxConnections,
            _options.SettingName(nameof(RouterOptions.MaxConnections))));
    }

    /// <summary>Client connections held now, those in their handshake included.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Binds the port and starts accepting.</summary>
    /// <exception cref="SocketException">The port is taken or the host cannot be bound.</exception>
    public static RouterPort Open(RouterOptions options, ILogger logger)
    {
        var ip = IPAddress.TryParse(options.Host, out var parsed) ? parsed : Dns.GetHostAddresses(options.Host).First();
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(ip, options.Port));
            socket.Listen(128);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var port = new RouterPort(options, logger, socket);
        _ = port.AcceptAsync();
        return port;
    }

    /// <summary>The next connection that passed its handshake; AMQPNetLite's listener asks for them one by one.</summary>
    public override async Task<IAsyncTransport> CreateAsync(Address address)
    {
        try
        {
            return await _ready.Reader.ReadAsync().ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // AMQPNetLite's accept loop for custom transports never ends by itself, and would spin on an
            // exception: after the port closed it waits here for good instead.
            return await new TaskCompletionSource<IAsyncTransport>().Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes the socket of every connection the listener still holds, without a close frame: for
    /// when the listener's own close of them stopped part-way.
    /// </summary>
    public void CloseConnections()
    {
        foreach (var transport in _heldByListener.Keys)
        {
            transport.Close();
        }
    }

    /// <summary>Called by the listener when it closes.</summary>
    public override void Dispose()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        _closing.Cancel();
        _socket.Dispose();
        _refusals.Dispose();
        _ready.Writer.TryComplete();
        while (_ready.Reader.TryRead(out var unclaimed))
        {
            unclaimed.Close();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection that failed between SYN and accept; the port itself is fine.
                _logger.LogDebug("Accepting a connection failed: {Error}", e.SocketErrorCode);
                continue;
            }

            client.NoDelay = true;
            var refused = Interlocked.Increment(ref _connections) > _options.MaxConnections;
            _ = HandshakeAsync(client, refused);
        }
    }

    /// <param name="refused">Over the connection limit: the client is told so once it has said who it is.</param>
    private async Task HandshakeAsync(Socket client, bool refused)
    {
        var peer = client.RemoteEndPoint;
        var accepted = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        timeout.CancelAfter(_options.OpenTimeout);
        Stream stream = new NetworkStream(client, ownsSocket: true);
        var handedOver = false;
        try
        {
            if (_certificate is not null && await SecureAsync(client, stream, timeout.Token).ConfigureAwait(false) is { } secured)
            {
                stream = secured;
            }
            else if (_certificate is not null && !FromThisMachine(client))
            {
                _logger.LogWarning("Connection from {Peer} refused: it did not start TLS, and this router takes connections from other machines over TLS only (amqps)", peer);
                return;
            }

            var transport = new AmqpTransport(stream);
            var header = new byte[8];
            await transport.ReadExactlyAsync(header, timeout.Token).ConfigureAwait(false);
            if (header.AsSpan().SequenceEqual(SaslHeader))
            {
                if (!await AuthenticateAsync(transport, peer, timeout.Token).ConfigureAwait(false))
                {
                    return;
                }

                if (refused)
                {
                    // After SASL the client opens its AMQP layer with the protocol header again.
                    await transport.ReadExactlyAsync(header, timeout.Token).ConfigureAwait(false);
                }
            }
            else if (header.AsSpan().SequenceEqual(AmqpHeader) && _options.User is null)
            {
                // No SASL layer: the listener reads this header again as the connection's first bytes.
                if (!refused)
                {
                    transport.Unread(header);
                }
            }
            else
            {
                // AMQP 1.0 (2.2): answer with the header we do accept, then close.
                _logger.LogDebug("Connection from {Peer} opened with an unsupported protocol header {Header}", peer, Convert.ToHexString(header));
                await transport.WriteAsync(SaslHeader, timeout.Token).ConfigureAwait(false);
                return;
            }

            if (refused)
            {
                await RefuseAsync(transport, peer, timeout.Token).ConfigureAwait(false);
                return;
            }

            handedOver = _ready.Writer.TryWrite(transport);
            if (handedOver)
            {
                _heldByListener[transport] = 0;
                _ = CloseUnlessOpenedAsync(transport, peer, _options.OpenTimeout - Stopwatch.GetElapsedTime(accepted));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException
                                      or AmqpException or InvalidCastException or System.Security.Authentication.AuthenticationException)
        {
            _logger.LogDebug("Connection from {Peer} dropped during its handshake: {Error}", peer, e.Message);
        }
        finally
        {
            if (!handedOver)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                Interlocked.Decrement(ref _connections);
            }
        }
    }

    /// <summary>
    /// Watches a connection the listener took: it counts until it is closed, and it is closed if it
    /// has sent nothing past its protocol header (no open frame) once <paramref name="opening"/> has passed.
    /// </summary>
    private async Task CloseUnlessOpenedAsync(AmqpTransport transport, EndPoint? peer, TimeSpan opening)
    {
        var handedOver = transport.HandedOut;
        try
        {
            await transport.Closed.WaitAsync(opening > TimeSpan.Zero ? opening : TimeSpan.Zero).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The listener reads the protocol header first; anything beyond it is the open frame.
            if (transport.HandedOut - handedOver <= AmqpHeader.Length)
            {
                _logger.LogDebug("Connection from {Peer} closed: it did not open AMQP within {Timeout}", peer, _options.OpenTimeout);
                transport.Close();
            }

            await transport.Closed.ConfigureAwait(false);
        }
        finally
        {
            _heldByListener.TryRemove(transport, out _);
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>Over the limit: the client's AMQP open is answered with an open and a close that says why (as Qpid Dispatch's connection limit does).</summary>
    private async Task RefuseAsync(AmqpTransport transport, EndPoint? peer, CancellationToken cancellationToken)
    {
        _refusals.Record(peer);
        var error = new Error(ErrorCode.ResourceLimitExceeded)
        {
            Description = $"the router holds {_options.MaxConnections} connections, its limit ({_options.SettingName(nameof(RouterOptions.MaxConnections))}); try again later",
        };
        byte[] answer = [.. AmqpHeader, .. Frame(AmqpFrameType, new Open { ContainerId = _options.ContainerId }), .. Frame(AmqpFrameType, new Close { Error = error })];
        await transport.WriteAsync(answer, cancellationToken).ConfigureAwait(false);

        // What the client sends meanwhile (its open, its close) is read until it hangs up: closing
        // with unread bytes would reset the connection, and the client might lose the reason.
        var scratch = new byte[512];
        IAsyncTransport reader = transport;
        while (await reader.ReceiveAsync(scratch, 0, scratch.Length).WaitAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    /// <summary>
    /// TLS for a client whose first byte is a TLS handshake record; null for one that starts with
    /// AMQP's header instead, which only clients on this machine (the aggregator's own link) may do.
    /// </summary>
    private async Task<Stream?> SecureAsync(Socket client, Stream stream, CancellationToken cancellationToken)
    {
        const byte TlsHandshakeRecord = 0x16;
        var first = new byte[1];
        if (await client.ReceiveAsync(first, SocketFlags.Peek, cancellationToken).ConfigureAwait(false) != 1 || first[0] != TlsHandshakeRecord)
        {
            return null;
        }

        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, cancellationToken).ConfigureAwait(false);
        return tls;
    }

    private static bool FromThisMachine(Socket client) =>
        client.RemoteEndPoint is IPEndPoint remote && client.LocalEndPoint is IPEndPoint local && FromThisMachine(remote.Address, local.Address);

    /// <summary>A client on this machine comes from loopback, or from the very address it connected to.</summary>
    internal static bool FromThisMachine(IPAddress remote, IPAddress local)
    {
        remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        local = local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local;
        return IPAddress.IsLoopback(remote) || remote.Equals(local);
    }

    /// <summary>The server's side of SASL: offer the mechanism, check the client's choice and answer.</summary>
    private async Task<bool> AuthenticateAsync(AmqpTransport transport, EndPoint? peer, CancellationToken cancellationToken)
    {
        var offered = _options.User is null ? Anonymous : Plain;
        byte[] greeting = [.. SaslHeader, .. Frame(SaslFrameType, new SaslMechanisms { SaslServerMechanisms = [offered] })];
        await transport.WriteAsync(greeting, cancellationToken).ConfigureAwait(false);

        var init = await ReadSaslInitAsync(transport, cancellationToken).ConfigureAwait(false);
        var passed = init is not null && Equals(init.Mechanism, offered) && (offered == Anonymous || Matches(init.InitialResponse));
        await transport.WriteAsync(
            Frame(SaslFrameType, new SaslOutcome { Code = passed ? SaslCode.Ok : SaslCode.Auth }), cancellationToken).ConfigureAwait(false);
        if (!passed)
        {
            _logger.LogWarning("Connection from {Peer} refused: SASL {Mechanism} authentication failed", peer, init?.Mechanism?.ToString() ?? "(no sasl-init)");
        }

        return passed;
    }

    private static async Task<SaslInit?> ReadSaslInitAsync(AmqpTransport transport, CancellationToken cancellationToken)
    {
        var size = new byte[4];
        await transport.ReadExactlyAsync(size, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadInt32BigEndian(size);
        if (length is < 8 or > MaxSaslFrame)
        {
            return null;
        }

        var frame = new byte[length - 4];
        await transport.ReadExactlyAsync(frame, cancellationToken).ConfigureAwait(false);
        var bodyStart = (frame[0] * 4) - 4;
        if (frame[1] != SaslFrameType || bodyStart < 4 || bodyStart >= frame.Length)
        {
            return null;
        }

        return Encoder.ReadObject(new ByteBuffer(frame, bodyStart, frame.Length - bodyStart, frame.Length - bodyStart)) as SaslInit;
    }

    /// <summary>PLAIN's response is <c>[authzid] NUL authcid NUL password</c> (RFC 4616).</summary>
    private bool Matches(byte[]? response)
    {
        var parts = Encoding.UTF8.GetString(response ?? []).Split('\0');
        return parts.Length == 3
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(parts[1]), Encoding.UTF8.GetBytes(_options.User!))
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(parts[2]), Encoding.UTF8.GetBytes(_options.Password ?? string.Empty));
    }

    /// <summary>A frame on channel 0: a SASL frame, or an AMQP performative.</summary>
    private static byte[] Frame(byte type, DescribedList body)
    {
        var encoded = new ByteBuffer(256, true);
        Encoder.WriteObject(encoded, body, true);
        var frame = new byte[8 + encoded.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length);
        frame[4] = 2;
        frame[5] = type;
        encoded.Buffer.AsSpan(encoded.Offset, encoded.Length).CopyTo(frame.AsSpan(8));
        return frame;
    }
}
