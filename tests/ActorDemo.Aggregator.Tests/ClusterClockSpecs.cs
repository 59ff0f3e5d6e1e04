using Xunit;

namespace ActorDemo.Aggregator.Tests;

public sealed class ClusterClockSpecs
{
    private DateTimeOffset _local = new(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Before_any_check_the_nodes_own_clock_stands()
    {
        var clock = new ClusterClock(() => _local);

        Assert.Equal(_local, clock.Now());
        Assert.False(clock.Synchronized.IsCompleted);
    }

    [Fact]
    public void A_check_sets_the_clock_to_the_singletons_less_the_trip()
    {
        var clock = new ClusterClock(() => _local);

        clock.Observe(1, _local + TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(2));

        Assert.Equal(_local + TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(2), clock.Now());
        Assert.True(clock.Synchronized.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_check_held_up_on_the_way_does_not_set_the_clock_back()
    {
        var clock = new ClusterClock(() => _local);
        clock.Observe(1, _local - TimeSpan.FromSeconds(3));
        _local += TimeSpan.FromSeconds(1);

        clock.Observe(1, _local - TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(800));

        Assert.Equal(TimeSpan.FromSeconds(-3), clock.Offset);
    }

    [Fact]
    public void The_estimate_settles_once_an_incarnations_checks_span_a_second()
    {
        var clock = new ClusterClock(() => _local);
        clock.Observe(1, _local);
        _local += TimeSpan.FromMilliseconds(900);
        clock.Observe(1, _local);
        Assert.False(clock.Settled);

        _local += TimeSpan.FromMilliseconds(100);
        clock.Observe(1, _local);
        Assert.True(clock.Settled);

        clock.Observe(2, _local);
        Assert.False(clock.Settled);
    }

    [Fact]
    public void Checks_older_than_five_seconds_no_longer_count()
    {
        var clock = new ClusterClock(() => _local);
        clock.Observe(1, _local + TimeSpan.FromSeconds(2));
        _local += TimeSpan.FromSeconds(6);

        clock.Observe(1, _local + TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), clock.Offset);
    }

    [Fact]
    public void A_new_incarnation_starts_afresh_and_an_older_ones_checks_are_ignored()
    {
        var clock = new ClusterClock(() => _local);
        clock.Observe(5, _local + TimeSpan.FromSeconds(3));

        clock.Observe(6, _local);
        clock.Observe(5, _local + TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.Zero, clock.Offset);
    }
}
