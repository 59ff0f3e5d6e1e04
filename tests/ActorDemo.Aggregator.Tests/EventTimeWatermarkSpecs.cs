using Xunit;

namespace ActorDemo.Aggregator.Tests;

public sealed class EventTimeWatermarkSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 7, 15, 0, TimeSpan.Zero);
    private static readonly EventTimeSettings Settings = new(AllowedLateness: TimeSpan.FromSeconds(2), IdleAfter: TimeSpan.FromSeconds(7));

    private DateTimeOffset _clock = Now;
    private TimeSpan _monotonic = TimeSpan.FromMinutes(1);

    private EventTimeWatermark Watermark() => new(Settings, () => _clock, () => _monotonic);

    [Fact]
    public void There_is_none_before_the_first_timestamp()
    {
        Assert.Null(Watermark().Current());
    }

    [Fact]
    public void It_trails_the_newest_timestamp_seen_by_the_allowed_lateness()
    {
        var watermark = Watermark();

        watermark.Observe(Now.AddMinutes(-10));
        watermark.Observe(Now.AddMinutes(-9));
        watermark.Observe(Now.AddMinutes(-9.5));

        Assert.Equal(Now.AddMinutes(-9).AddSeconds(-2), watermark.Current());
    }

    [Fact]
    public void A_timestamp_ahead_of_the_singletons_clock_moves_it_no_further_than_the_clock()
    {
        var watermark = Watermark();

        watermark.Observe(Now.AddSeconds(8));

        Assert.Equal(Now.AddSeconds(-2), watermark.Current());
    }

    [Fact]
    public void A_sensor_clock_behind_does_not_hold_it_back()
    {
        var watermark = Watermark();
        watermark.Observe(Now);

        watermark.Observe(Now.AddHours(-1));

        Assert.Equal(Now.AddSeconds(-2), watermark.Current());
    }

    [Fact]
    public void With_no_newer_timestamp_for_the_idle_time_it_follows_the_clock()
    {
        var watermark = Watermark();
        watermark.Observe(Now.AddMinutes(-1));

        _clock += TimeSpan.FromSeconds(7);
        _monotonic += TimeSpan.FromSeconds(7);

        Assert.Equal(_clock.AddSeconds(-2), watermark.Current());
    }

    [Fact]
    public void It_never_moves_back()
    {
        var watermark = Watermark();
        watermark.Observe(Now.AddMinutes(-1));
        _monotonic += TimeSpan.FromSeconds(7);
        var followedTheClock = watermark.Current();

        watermark.Observe(Now.AddSeconds(-30));

        Assert.Equal(followedTheClock, watermark.Current());
    }
}
