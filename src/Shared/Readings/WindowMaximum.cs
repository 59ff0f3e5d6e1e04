using System.Collections.Immutable;

namespace ActorDemo.Shared.Readings;

/// <summary>The maximum temperature of one window of readings, and who measured it.</summary>
/// <param name="DeviceId">The device of the maximum; the first to reach it when several did.</param>
/// <param name="DeviceMaxima">Each device's own maximum in the window.</param>
public sealed record WindowMaximum(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    double Max,
    string DeviceId,
    int Count,
    ImmutableDictionary<string, double> DeviceMaxima)
{
    /// <summary>The maximum of a non-empty window.</summary>
    /// <exception cref="ArgumentException">The window holds no reading.</exception>
    public static WindowMaximum Of(IReadOnlyCollection<TemperatureReading> readings, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        if (readings.Count == 0)
        {
            throw new ArgumentException("A window maximum needs at least one reading.", nameof(readings));
        }

        TemperatureReading? highest = null;
        var perDevice = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var reading in readings)
        {
            if (highest is null || reading.Temperature > highest.Temperature)
            {
                highest = reading;
            }

            perDevice[reading.DeviceId] = perDevice.TryGetValue(reading.DeviceId, out var max)
                ? Math.Max(max, reading.Temperature)
                : reading.Temperature;
        }

        return new WindowMaximum(windowStart, windowEnd, highest!.Temperature, highest.DeviceId, readings.Count, perDevice.ToImmutable());
    }
}
