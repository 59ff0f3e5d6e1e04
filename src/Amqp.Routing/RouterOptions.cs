using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorDemo.Amqp.Routing;

/// <summary>Where the embedded router listens and whom it lets in.</summary>
public sealed record RouterOptions
{
    public const int DefaultPort = AmqpEndpoint.DefaultPort;

    /// <summary>The interface to bind; loopback unless told otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = DefaultPort;

    /// <summary>With a user, only SASL PLAIN with this user and password is let in; without, SASL ANONYMOUS.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    public string ContainerId { get; init; } = "actordemo-router";

    /// <summary>How messages about the router name its settings; by default <c>RouterOptions.Port</c> and so on.</summary>
    public SettingName SettingName { get; init; } = property => $"{nameof(RouterOptions)}.{property}";

    /// <summary>
    /// The most credit one producer holds at a time, however much the consumers gave: Qpid
    /// Dispatch's listener setting of the same name, at the value our Dispatch deployment sets
    /// (deploy/k8s/router). Handed all of a consumer's credit at once, a sender may encode that many
    /// messages ahead (Proton C's send buffered a million); much lower, a sender holding many
    /// unsettled messages spends its time on credit top-ups (AMQPNetLite walks a session's unsettled
    /// deliveries on every flow frame).
    /// </summary>
    public int LinkCapacity { get; init; } = 20_000;

    /// <summary>
    /// The most client connections the router holds at once, those still in their handshake
    /// included; one more is answered with an AMQP close <c>amqp:resource-limit-exceeded</c>. Each
    /// costs some tens of KiB, so the bound keeps a flood of connections from exhausting the node.
    /// </summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    public const int DefaultMaxConnections = 1000;

    /// <summary>
    /// How long a new connection has, from its accept, to begin its AMQP open (TLS, protocol header
    /// and SASL included); one that has not is closed, so idle sockets do not hold the router's memory.
    /// </summary>
    public TimeSpan OpenTimeout { get; init; } = DefaultOpenTimeout;

    public static readonly TimeSpan DefaultOpenTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A PEM certificate (with <see cref="KeyFile"/>): the router then takes TLS (amqps), and plain AMQP from this machine only.</summary>
    public string? CertificateFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>The router's certificate with its key, or null without one.</summary>
    /// <exception cref="Amqp.AmqpSettingsException">Only one of the two is given, or they cannot be read as a PEM certificate and its key.</exception>
    public X509Certificate2? LoadCertificate()
    {
        if (string.IsNullOrWhiteSpace(CertificateFile) && string.IsNullOrWhiteSpace(KeyFile))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(CertificateFile) || string.IsNullOrWhiteSpace(KeyFile))
        {
            throw new AmqpSettingsException(
                nameof(CertificateFile),
                $"give the router's certificate and its key together ({SettingName(nameof(CertificateFile))} and {SettingName(nameof(KeyFile))}), or neither");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new AmqpSettingsException(
                nameof(CertificateFile),
                $"'{CertificateFile}' with key '{KeyFile}' cannot be read as a PEM certificate and its private key ({e.Message}); give both in PEM.");
        }
    }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("Invalid router setting 'Host': it is empty; use an address such as 127.0.0.1.", nameof(Host));
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"Invalid router setting 'Port': {Port} is outside 1..65535.", nameof(Port));
        }

        if (LinkCapacity < 1)
        {
            throw new ArgumentException($"Invalid router setting 'LinkCapacity': {LinkCapacity} is less than 1.", nameof(LinkCapacity));
        }

        if (MaxConnections < 1)
        {
            throw new ArgumentException($"Invalid router setting 'MaxConnections': {MaxConnections} is less than 1.", nameof(MaxConnections));
        }

        if (OpenTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Invalid router setting 'OpenTimeout': {OpenTimeout} is not positive.", nameof(OpenTimeout));
        }

        if (string.IsNullOrEmpty(User) != string.IsNullOrEmpty(Password))
        {
            throw new ArgumentException("Invalid router setting 'User': set both a user and a password for SASL PLAIN, or neither.", nameof(User));
        }
    }
}
