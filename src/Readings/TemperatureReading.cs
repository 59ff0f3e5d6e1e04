namespace ActorDemo.Readings;

/// <summary>One temperature reading of one device, as it travels to the address <c>temperature</c>.</summary>
/// <param name="DeviceId">Such as <c>sensor-node1-0007</c>; <see cref="UnknownDevice"/> for the original publishers' bare numbers.</param>
/// <param name="Temperature">Degrees Celsius.</param>
/// <param name="Seq">Per-device sequence number; 0 when the publisher sent none.</param>
public sealed record TemperatureReading(string DeviceId, double Temperature, DateTimeOffset Timestamp, long Seq)
{
    public const string UnknownDevice = "unknown";

    public const double AbsoluteZero = -273.15;

    public const double Ceiling = 1000;

    /// <summary>The longest device id taken: ids are kept per device and shown to people, so they are bounded.</summary>
    public const int MaxDeviceIdLength = 128;

    /// <summary>Why <paramref name="deviceId"/> cannot be a device id, or null when it can: printable text of bounded length.</summary>
    public static string? DeviceIdProblem(string deviceId)
    {
        if (deviceId.Length > MaxDeviceIdLength)
        {
            return $"the device-id has {deviceId.Length} characters, more than the {MaxDeviceIdLength} a device id may have";
        }

        var control = Printable.IndexOfControl(deviceId);
        return control < 0
            ? null
            : $"the device-id has a control character (U+{(int)deviceId[control]:X4}) at position {control}; a device id is printable text";
    }
}
