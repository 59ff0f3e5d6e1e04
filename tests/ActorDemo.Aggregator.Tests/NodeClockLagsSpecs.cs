using Xunit;

namespace ActorDemo.Aggregator.Tests;

public sealed class NodeClockLagsSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 21, 0, 0, TimeSpan.Zero);
    private static readonly Address Node = new("akka.tcp", "actordemo", "10.0.0.2", 4053);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Trip = TimeSpan.FromMilliseconds(10);
    private readonly NodeClockLags _lags = new();

    /// <summary>A share cut <paramref name="late"/> before it arrives at <paramref name="at"/> (clock lag plus trip, or a hand-over's delay).</summary>
    private void Share(DateTimeOffset at, TimeSpan late) => _lags.Observe(Node, at - late, at);

    /// <summary>Fresh shares every 20 ms over a second and a bit, each a trip old.</summary>
    private void FreshSharesFrom(DateTimeOffset from, TimeSpan lag)
    {
        for (var at = from; at <= from + TimeSpan.FromSeconds(1.1); at += TimeSpan.FromMilliseconds(20))
        {
            Share(at, lag + Trip);
        }
    }

    [Fact]
    public void Shares_resent_after_a_hand_over_do_not_count_as_lag_once_fresh_ones_arrive()
    {
        Share(T0, TimeSpan.FromSeconds(13));

        FreshSharesFrom(T0 + TimeSpan.FromMilliseconds(20), TimeSpan.Zero);

        Assert.Equal(Trip, _lags.MeasuredLagOf(Node));
        Assert.False(_lags.NewlyBeyond(Node, Grace));
    }

    [Fact]
    public void A_lag_beyond_the_grace_is_not_told_while_only_the_first_shares_stand_behind_it()
    {
        Share(T0, TimeSpan.FromSeconds(13));
        Share(T0 + TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(13));

        Assert.False(_lags.NewlyBeyond(Node, Grace));
    }

    [Fact]
    public void A_lag_beyond_the_grace_for_a_second_of_shares_is_told_once()
    {
        FreshSharesFrom(T0, TimeSpan.FromSeconds(3));

        Assert.Equal([true, false], [_lags.NewlyBeyond(Node, Grace), _lags.NewlyBeyond(Node, Grace)]);
    }

    [Fact]
    public void A_lag_that_came_back_within_the_grace_is_told_again_when_it_exceeds_it_again()
    {
        FreshSharesFrom(T0, TimeSpan.FromSeconds(3));
        Assert.True(_lags.NewlyBeyond(Node, Grace));

        // Five seconds on, the old samples have aged out: the clock was set right.
        FreshSharesFrom(T0 + TimeSpan.FromSeconds(6), TimeSpan.Zero);
        Assert.False(_lags.NewlyBeyond(Node, Grace));

        FreshSharesFrom(T0 + TimeSpan.FromSeconds(13), TimeSpan.FromSeconds(3));
        Assert.True(_lags.NewlyBeyond(Node, Grace));
    }
}
