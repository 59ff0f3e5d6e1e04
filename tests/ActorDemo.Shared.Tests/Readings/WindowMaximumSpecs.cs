using ActorDemo.Readings;
using Xunit;

namespace ActorDemo.Shared.Tests.Readings;

public sealed class WindowMaximumSpecs
{
    private static readonly TimeSpan Five = TimeSpan.FromSeconds(5);

    [Fact]
    public void An_interval_is_aligned_to_the_clock_from_the_unix_epoch()
    {
        var interval = WindowInterval.Containing(new DateTimeOffset(2026, 11, 25, 7, 40, 7, 350, TimeSpan.Zero), Five);

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 7, 40, 5, TimeSpan.Zero), interval.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 7, 40, 10, TimeSpan.Zero), interval.End);
        Assert.Equal(0, interval.Start.ToUnixTimeMilliseconds() % 5000);
    }

    [Fact]
    public void A_time_on_a_boundary_starts_the_next_interval()
    {
        var boundary = new DateTimeOffset(2026, 11, 25, 7, 40, 10, TimeSpan.Zero);

        Assert.Equal(boundary, WindowInterval.Containing(boundary, Five).Start);
        Assert.Equal(boundary, WindowInterval.Containing(boundary.AddTicks(-1), Five).End);
    }

    [Fact]
    public void The_next_interval_starts_where_one_ends()
    {
        var interval = WindowInterval.Containing(DateTimeOffset.UtcNow, Five);

        Assert.Equal(interval.End, interval.Next.Start);
        Assert.Equal(interval.Index + 1, interval.Next.Index);
    }

    [Fact]
    public void A_tie_goes_to_the_first_device_that_reached_the_maximum() =>
        Assert.Equal("first", ReadingMaximum.Higher(new ReadingMaximum(24, "first"), new ReadingMaximum(24, "second"))!.DeviceId);

    [Fact]
    public void A_window_without_readings_has_no_maximum_to_beat() =>
        Assert.Equal("only", ReadingMaximum.Higher(null, new ReadingMaximum(-5, "only"))!.DeviceId);

    [Fact]
    public void An_interval_prints_its_bounds_as_an_assertion_message_shows_them() =>
        Assert.Equal("2026-11-25T07:40:05.000Z..07:40:10.000 (#359118481)", WindowInterval.Containing(new DateTimeOffset(2026, 11, 25, 7, 40, 7, TimeSpan.Zero), Five).ToString());
}
