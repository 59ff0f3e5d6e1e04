using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorDemo.Amqp.Routing;

/// <summary>
/// An AMQP 1.0 router for one machine, with EnMasse's standard anycast semantics on every address
/// (see <see cref="AnycastAddress"/>). It stands in for Qpid Dispatch Router when ActorDemo runs
/// without any external service.
/// </summary>
public sealed class AnycastRouter : IContainer, IAsyncDisposable
{
    private readonly RouterOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, AnycastAddress> _addresses = new();
    private readonly Dictionary<string, TransportProvider> _transports = [];
    private ConnectionListener? _listener;
    private RouterPort? _port;

    public AnycastRouter(RouterOptions options, ILogger<AnycastRouter>? logger = null)
    {
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The URL clients connect to.</summary>
    public string Url => $"amqp://{_options.Host}:{_options.Port}";

    /// <summary>Client connections held now, those still in their handshake included.</summary>
    public int Connections => _port?.Connections ?? 0;

    public IReadOnlyList<AddressStatistics> Statistics() =>
        _addresses.Values.Select(a => a.Statistics()).OrderBy(s => s.Address, StringComparer.Ordinal).ToList();

    /// <summary>Starts listening.</summary>
    /// <exception cref="RouterStartException">The port is taken or the host cannot be bound.</exception>
    public void Start()
    {
        RouterPort port;
        try
        {
            port = RouterPort.Open(_options, _logger);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new RouterStartException(
                $"The embedded AMQP router cannot listen on {_options.Host}:{_options.Port} ({e.Message}); " +
                $"free the port, or choose another ({_options.SettingName(nameof(RouterOptions.Port))}).", e);
        }

        // The port does the protocol header and SASL; the listener gets connections ready for AMQP.
        _transports["amqp"] = _port = port;
        var listener = new ConnectionListener(new Address(_options.Host, _options.Port, null, null, "/", "amqp"), this);
        listener.AMQP.ContainerId = _options.ContainerId;
        listener.AMQP.MaxFrameSize = 256 * 1024;
        listener.AMQP.MaxSessionsPerConnection = 1000;
        listener.Open();
        _listener = listener;
        _logger.LogInformation(
            "Embedded AMQP router listening on {Url} (anycast, {Sasl})",
            Url,
            _options.User is null ? "SASL ANONYMOUS or no SASL layer" : "SASL PLAIN");
    }

    public ValueTask DisposeAsync()
    {
        var listener = Interlocked.Exchange(ref _listener, null);
        if (listener is not null)
        {
            // Closing the listener closes the port and the connections; their links settle what they held as released.
            try
            {
                listener.Close();
            }
            catch (ObjectDisposedException)
            {
                // A connection whose socket went while the listener closed it; AMQPNetLite then
                // leaves the connections after it open, so their sockets are closed here.
                _port?.CloseConnections();
            }

            _logger.LogInformation("Embedded AMQP router on {Url} stopped", Url);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Reads <see cref="AmqpSourceSettings.Address"/> in this process, without a connection: as an
    /// <see cref="AmqpSource"/> attached to this router would, with its credit and settle timeout, but
    /// without encoding each message, outcome and credit on a socket and decoding it again. The
    /// settings' connection (endpoint, link name, capabilities, durability, reconnect) does not apply.
    /// </summary>
    /// <exception cref="AmqpSettingsException">A setting is invalid.</exception>
    public Akka.Streams.Dsl.Source<ReceivedMessage, AmqpLinkMetrics> LocalSource(AmqpSourceSettings settings)
    {
        settings.Validate();
        return Akka.Streams.Dsl.Source.FromGraph(new LocalSourceStage(AddressNamed(settings.Address), settings))
            .Named($"local-source-{settings.Address}");
    }

    private AnycastAddress AddressNamed(string name) =>
        _addresses.GetOrAdd(name, static (name, capacity) => new AnycastAddress(name, capacity), _options.LinkCapacity);

    X509Certificate2 IContainer.ServiceCertificate => null!;

    IDictionary<string, TransportProvider> IContainer.CustomTransports => _transports;

    Message IContainer.CreateMessage(ByteBuffer buffer) => RoutedMessage.Over(buffer);

    Link IContainer.CreateLink(ListenerConnection connection, ListenerSession session, Attach attach) =>
        new ListenerLink(session, attach);

    bool IContainer.AttachLink(ListenerConnection connection, ListenerSession session, Link link, Attach attach)
    {
        var listenerLink = (ListenerLink)link;
        // The link's role is the router's: a receiving link here is a client's sender.
        var addressName = link.Role ? (attach.Target as Target)?.Address : (attach.Source as Source)?.Address;
        if (string.IsNullOrEmpty(addressName))
        {
            throw new AmqpException(ErrorCode.InvalidField, "The link names no address; anycast needs one, such as 'temperature'.");
        }

        var address = AddressNamed(addressName);
        if (link.Role)
        {
            var producer = new Producer(listenerLink);
            listenerLink.InitializeReceiver(0, (_, message, _, _) => address.Route(producer, (RoutedMessage)message), producer);
            listenerLink.CompleteAttach(attach, null);
            link.AddClosedCallback((_, _) => address.Remove(producer));
            address.Add(producer);
        }
        else
        {
            var consumer = new LinkConsumer(listenerLink);
            listenerLink.InitializeSender(
                (delta, _, _) => address.OnCredit(consumer, delta),
                (message, outcome, settled, _) => address.Settle(consumer, (Forward)message, outcome, settled),
                consumer);
            link.AddClosedCallback((_, _) => address.Remove(consumer));
            address.Add(consumer);
            listenerLink.CompleteAttach(attach, null);
        }

        _logger.LogDebug("{Role} attached to '{Address}'", link.Role ? "Producer" : "Consumer", addressName);
        // Attach is complete; returning false keeps AMQPNetLite from completing it twice.
        return false;
    }
}

/// <summary>The embedded router could not start; the message says why and what to do.</summary>
public sealed class RouterStartException(string message, Exception inner) : Exception(message, inner);
