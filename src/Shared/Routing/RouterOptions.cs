namespace ActorDemo.Shared.Routing;

/// <summary>Where the embedded router listens and whom it lets in.</summary>
public sealed record RouterOptions
{
    public const int DefaultPort = 5672;

    /// <summary>The interface to bind; loopback unless told otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = DefaultPort;

    /// <summary>With a user, only SASL PLAIN with this user and password is let in; without, SASL ANONYMOUS.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    public string ContainerId { get; init; } = "actordemo-router";

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

        if (string.IsNullOrEmpty(User) != string.IsNullOrEmpty(Password))
        {
            throw new ArgumentException("Invalid router setting 'User': set both a user and a password for SASL PLAIN, or neither.", nameof(User));
        }
    }
}
