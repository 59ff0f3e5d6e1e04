using Amqp;
using Amqp.Sasl;

namespace ActorDemo.Amqp;

/// <summary>
/// Where and how to connect to an AMQP 1.0 peer: a router such as Qpid Dispatch (EnMasse),
/// a broker, or an embedded router.
/// </summary>
public sealed record AmqpEndpoint
{
    /// <summary>The largest frame our connections take; a message must fit in one (see <see cref="TransferScreen"/>).</summary>
    internal const int MaxFrameSize = 256 * 1024;

    /// <summary>AMQP's registered port, for <c>amqp://</c> without one.</summary>
    public const int DefaultPort = 5672;

    /// <summary>AMQP over TLS's registered port, for <c>amqps://</c> without one.</summary>
    public const int DefaultSecurePort = 5671;

    private AmqpEndpoint(Uri url, string? user, string? password, string containerId, TimeSpan connectTimeout, TimeSpan idleTimeout, CertificateTrust trust, SettingName name)
    {
        Trust = trust;
        IdleTimeout = idleTimeout;
        Url = url;
        User = user;
        Password = password;
        ContainerId = containerId;
        ConnectTimeout = connectTimeout;
        SettingName = name;
    }

    /// <summary><c>amqp://host:port</c> or <c>amqps://host:port</c> (TLS).</summary>
    public Uri Url { get; }

    /// <summary>SASL PLAIN user; without one the connection uses SASL ANONYMOUS.</summary>
    public string? User { get; }

    public string? Password { get; }

    public string ContainerId { get; }

    public TimeSpan ConnectTimeout { get; }

    /// <summary>
    /// A connection silent for this long is taken as broken. It is announced to the peer, which
    /// then sends heartbeats, so a network that fails without closing the socket is noticed.
    /// </summary>
    public TimeSpan IdleTimeout { get; }

    public bool UsesTls => Url.Scheme == "amqps";

    /// <summary>Which router certificates <c>amqps</c> trusts: the system's roots, or a private CA's.</summary>
    internal CertificateTrust Trust { get; }

    /// <summary>How messages about this endpoint name its settings (<see cref="Create"/>'s <c>settingName</c>).</summary>
    public SettingName SettingName { get; }

    /// <summary>
    /// Validates every setting and names the one that is wrong. Credentials may be given
    /// in the URL (<c>amqp://user:password@host</c>) or separately, not both.
    /// </summary>
    /// <param name="settingName">How messages name the settings; by default as this library's types do (<c>AmqpEndpoint.User</c>).</param>
    /// <exception cref="AmqpSettingsException">A setting is invalid.</exception>
    public static AmqpEndpoint Create(
        string url,
        string? user = null,
        string? password = null,
        string? containerId = null,
        TimeSpan? connectTimeout = null,
        TimeSpan? idleTimeout = null,
        string? caFile = null,
        SettingName? settingName = null)
    {
        var name = settingName ?? DefaultName;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new AmqpSettingsException("Url", $"'{url}' is not an absolute URL; use amqp://host:port or amqps://host:port.");
        }

        if (uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new AmqpSettingsException("Url", $"'{url}' has scheme '{uri.Scheme}'; use amqp:// or amqps://.");
        }

        if (uri.AbsolutePath is not ("/" or "") || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new AmqpSettingsException("Url", $"the URL has the path or query '{uri.PathAndQuery}{uri.Fragment}', which AMQP does not use; the address is a setting of the link ({name("Address")}), not part of the URL. Give amqp://host:port.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            if (user is not null)
            {
                throw new AmqpSettingsException("User", "credentials are given both in the URL and as a user; give them once.");
            }

            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : password;
        }

        if (string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(password))
        {
            throw new AmqpSettingsException("User", "a password is set but no user; set both for SASL PLAIN, or neither for ANONYMOUS.");
        }

        var timeout = connectTimeout ?? TimeSpan.FromSeconds(10);
        if (timeout <= TimeSpan.Zero)
        {
            throw new AmqpSettingsException("ConnectTimeout", $"{timeout} is not positive.");
        }

        var idle = idleTimeout ?? TimeSpan.FromSeconds(30);
        if (idle < TimeSpan.FromSeconds(1))
        {
            throw new AmqpSettingsException("IdleTimeout", $"{idle} is shorter than a second; heartbeats would flood the link.");
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? DefaultSecurePort : DefaultPort) : uri.Port;
        var normalized = new UriBuilder(uri.Scheme, uri.Host, port).Uri;
        return new AmqpEndpoint(
            normalized,
            string.IsNullOrEmpty(user) ? null : user,
            string.IsNullOrEmpty(user) ? null : password ?? string.Empty,
            string.IsNullOrWhiteSpace(containerId) ? $"actordemo-{Guid.NewGuid():N}" : containerId,
            timeout,
            idle,
            string.IsNullOrWhiteSpace(caFile) ? CertificateTrust.System(name) : CertificateTrust.FromPemFile(caFile, name),
            name);
    }

    /// <summary>A setting as the library's own types name it; the address is the links' (<see cref="AmqpSourceSettings"/>, <see cref="AmqpSinkSettings"/>).</summary>
    private static string DefaultName(string property) => property == "Address" ? "the link settings' Address" : $"{nameof(AmqpEndpoint)}.{property}";

    /// <summary>Opens a connection; never blocks the caller's thread.</summary>
    internal async Task<Connection> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var factory = new ConnectionFactory([new ClientTransports(MaxFrameSize, ConnectTimeout, Trust)]);
        factory.AMQP.ContainerId = ContainerId;
        factory.AMQP.MaxFrameSize = MaxFrameSize;
        factory.AMQP.IdleTimeout = (int)IdleTimeout.TotalMilliseconds;
        if (User is null)
        {
            factory.SASL.Profile = SaslProfile.Anonymous;
        }

        var address = new Address(Url.Host, Url.Port, User, Password, "/", Url.Scheme);
        return await factory.CreateAsync(address).WaitAsync(ConnectTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The URL without credentials, safe to log.</summary>
    public override string ToString() => Url.GetLeftPart(UriPartial.Authority);
}
