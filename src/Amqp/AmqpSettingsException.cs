namespace ActorDemo.Amqp;

/// <summary>An AMQP setting is invalid; the message names the setting and what to do.</summary>
public sealed class AmqpSettingsException(string setting, string problem)
    : ArgumentException($"Invalid AMQP setting '{setting}': {problem}", setting)
{
    public string Setting { get; } = setting;

    /// <summary>What is wrong with the value, without the setting's name.</summary>
    public string Problem { get; } = problem;
}
