using ActorDemo.Shared.Readings;
using Xunit;

namespace ActorDemo.Shared.Tests.Readings;

public sealed class WindowMaximumSpecs
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 7, 40, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddSeconds(5);

    private static TemperatureReading Reading(string device, double temperature, long seq = 0) =>
        new(device, temperature, Start.AddSeconds(seq), seq);

    [Fact]
    public void The_maximum_names_its_device_and_counts_the_window()
    {
        var window = WindowMaximum.Of(
            [Reading("sensor-n1-1", 21.0), Reading("sensor-n1-3", 24.0), Reading("sensor-n1-2", 22.5)], Start, End);

        Assert.Equal(24.0, window.Max);
        Assert.Equal("sensor-n1-3", window.DeviceId);
        Assert.Equal(3, window.Count);
        Assert.Equal((Start, End), (window.WindowStart, window.WindowEnd));
    }

    [Fact]
    public void Each_device_keeps_its_own_maximum()
    {
        var window = WindowMaximum.Of(
            [Reading("a", 21.0, 1), Reading("b", 19.0, 1), Reading("a", 23.0, 2), Reading("b", 18.0, 2)], Start, End);

        Assert.Equal(23.0, window.DeviceMaxima["a"]);
        Assert.Equal(19.0, window.DeviceMaxima["b"]);
    }

    [Fact]
    public void A_tie_goes_to_the_first_device_that_reached_the_maximum() =>
        Assert.Equal("first", WindowMaximum.Of([Reading("first", 24.0), Reading("second", 24.0)], Start, End).DeviceId);

    [Fact]
    public void An_empty_window_has_no_maximum() =>
        Assert.Throws<ArgumentException>(() => WindowMaximum.Of([], Start, End));
}
