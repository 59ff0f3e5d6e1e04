namespace ActorDemo.Shared.Readings;

/// <summary>One temperature reading of one device, as it travels to the address <c>temperature</c>.</summary>
/// <param name="DeviceId">Such as <c>sensor-node1-0007</c>; <see cref="UnknownDevice"/> for the original publishers' bare numbers.</param>
/// <param name="Temperature">Degrees Celsius.</param>
/// <param name="Seq">Per-device sequence number; 0 when the publisher sent none.</param>
public sealed record TemperatureReading(string DeviceId, double Temperature, DateTimeOffset Timestamp, long Seq)
{
    public const string UnknownDevice = "unknown";

    public const double AbsoluteZero = -273.15;

    public const double Ceiling = 1000;
}
