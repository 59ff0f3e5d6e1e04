using Amqp;

namespace ActorDemo.Amqp;

/// <summary>How a sink settles what it sends.</summary>
public enum DeliveryMode
{
    /// <summary>Unsettled sends; an element is done when the peer settles it; lost links resend.</summary>
    AtLeastOnce,

    /// <summary>Pre-settled sends; nothing is resent.</summary>
    AtMostOnce,
}

/// <summary>Exponential backoff between attempts to re-establish a lost link.</summary>
public sealed record ReconnectSettings(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor = 0.2)
{
    public static readonly ReconnectSettings Default = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));

    internal TimeSpan Delay(int attempt)
    {
        var exponential = MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        var jitter = 1 + (Random.Shared.NextDouble() * RandomFactor);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    /// <summary>Checks the settings before a stage runs with them; a bad one throws <see cref="AmqpSettingsException"/> naming it.</summary>
    public void Validate()
    {
        if (MinBackoff <= TimeSpan.Zero)
        {
            throw new AmqpSettingsException(nameof(MinBackoff), $"{MinBackoff} is not positive.");
        }

        if (MaxBackoff < MinBackoff)
        {
            throw new AmqpSettingsException(nameof(MaxBackoff), $"{MaxBackoff} is shorter than MinBackoff {MinBackoff}.");
        }

        if (RandomFactor is < 0 or > 1)
        {
            throw new AmqpSettingsException(nameof(RandomFactor), $"{RandomFactor} is outside 0..1.");
        }
    }
}

/// <summary>A receiving link on <see cref="Address"/>.</summary>
public sealed record AmqpSourceSettings(AmqpEndpoint Endpoint, string Address)
{
    public const int DefaultCredit = 1000;

    /// <summary>The most messages the peer may send ahead of settlement; restored at half.</summary>
    public int Credit { get; init; } = DefaultCredit;

    public string? LinkName { get; init; }

    /// <summary>Capabilities the link asks of its source node (a broker may need "queue" to know the address is one).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>
    /// Asks for a durable source (terminus durability "configuration"): a broker that creates the
    /// queue on attach (RabbitMQ) makes it one that outlives its restart. The first link to a queue
    /// that does not exist yet decides, so senders and receivers of one queue should agree.
    /// </summary>
    public bool Durable { get; init; }

    public ReconnectSettings Reconnect { get; init; } = ReconnectSettings.Default;

    /// <summary>
    /// When downstream cancels, the link stays open this long at most for the messages already pushed
    /// to be settled (an aggregator's last window); it takes no new ones meanwhile.
    /// </summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the settings before a stage runs with them; a bad one throws <see cref="AmqpSettingsException"/> naming it.</summary>
    public void Validate()
    {
        LinkSettingsValidation.Address(Address);
        LinkSettingsValidation.Capabilities(Capabilities);
        if (SettleTimeout < TimeSpan.Zero)
        {
            throw new AmqpSettingsException(nameof(SettleTimeout), $"{SettleTimeout} is negative.");
        }

        if (Credit < 2)
        {
            throw new AmqpSettingsException(nameof(Credit), $"{Credit} is too small; use at least 2 (default {DefaultCredit}).");
        }

        Reconnect.Validate();
    }
}

/// <summary>A sending link to <see cref="Address"/>.</summary>
public sealed record AmqpSinkSettings(AmqpEndpoint Endpoint, string Address)
{
    public const int DefaultMaxInFlight = 1000;

    /// <summary>The most elements sent and not yet settled by the peer.</summary>
    public int MaxInFlight { get; init; } = DefaultMaxInFlight;

    public DeliveryMode Delivery { get; init; } = DeliveryMode.AtLeastOnce;

    public string? LinkName { get; init; }

    /// <summary>Capabilities the link asks of its target node (a broker may need "queue" to know the address is one).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>
    /// Marks every message durable (its header) and asks for a durable target (terminus durability
    /// "configuration"): a broker keeps the queue and the messages on disk, so that its restart does
    /// not lose what it holds (RabbitMQ needs both). Routers pass the marks on and store nothing.
    /// </summary>
    public bool Durable { get; init; }

    public ReconnectSettings Reconnect { get; init; } = ReconnectSettings.Default;

    /// <summary>
    /// Told, on the stage, each message the peer accepted (at-least-once only: at-most-once has no
    /// per-message outcome). It must return at once; hand anything slow to another thread.
    /// </summary>
    public Action<Message>? OnAccepted { get; init; }

    /// <summary>Checks the settings before a stage runs with them; a bad one throws <see cref="AmqpSettingsException"/> naming it.</summary>
    public void Validate()
    {
        LinkSettingsValidation.Address(Address);
        LinkSettingsValidation.Capabilities(Capabilities);
        if (MaxInFlight < 1)
        {
            throw new AmqpSettingsException(nameof(MaxInFlight), $"{MaxInFlight} is not positive (default {DefaultMaxInFlight}).");
        }

        Reconnect.Validate();
    }
}

internal static class LinkSettingsValidation
{
    // Terminus durability "configuration": the node (a broker's queue) outlives the link and a restart.
    public static uint TerminusDurability(bool durable) => durable ? 1u : 0u;

    public static global::Amqp.Types.Symbol[]? Symbols(IReadOnlyList<string> capabilities) =>
        capabilities.Count == 0 ? null : capabilities.Select(c => new global::Amqp.Types.Symbol(c)).ToArray();

    public static void Capabilities(IReadOnlyList<string> capabilities)
    {
        if (capabilities.Any(string.IsNullOrWhiteSpace))
        {
            throw new AmqpSettingsException(nameof(Capabilities), "a capability is empty; name each one, such as 'queue'.");
        }
    }

    public static void Address(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new AmqpSettingsException(nameof(Address), "the address is empty; name the AMQP address, such as 'temperature'.");
        }
    }
}
