using ActorDemo.Readings;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit;

namespace ActorDemo.Aggregator.Tests;

public sealed class EventTimeWindowsSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Length = TimeSpan.FromSeconds(5);

    // Window boundaries fall on multiples of five seconds: 07:15:00, 07:15:05, ...
    private static readonly DateTimeOffset Base = new(2026, 11, 25, 7, 15, 0, TimeSpan.Zero);

    // The readings reach the node a minute after they were taken: a backlog.
    private static readonly DateTimeOffset ArrivedAt = Base.AddMinutes(1);

    private readonly ClusterWatermark _watermark = new();
    private long _seq;

    /// <summary>A reading taken <paramref name="takenAfter"/> past <see cref="Base"/>, arriving now.</summary>
    private ArrivedReading Taken(double takenAfter, double temperature, string device = "sensor-a-0001") =>
        new(new TemperatureReading(device, temperature, Base.AddSeconds(takenAfter), ++_seq), ArrivedAt);

    private (TestPublisher.Probe<IEnumerable<ArrivedReading>> Groups, TestSubscriber.Probe<WindowShare> Shares) Run(bool closedOnly)
    {
        var (groups, shares) = this.SourceProbe<IEnumerable<ArrivedReading>>()
            .Via(new EventTimeWindows(Length, () => _watermark.Current, TimeSpan.FromMilliseconds(20), () => ArrivedAt))
            .Where(share => share.Closed || !closedOnly)
            .ToMaterialized(this.SinkProbe<WindowShare>(), Keep.Both)
            .Run(Sys.Materializer());
        shares.Request(100);
        return (groups, shares);
    }

    [Fact]
    public void A_reading_counts_in_the_window_of_its_own_timestamp_not_of_its_arrival()
    {
        var (groups, shares) = Run(closedOnly: false);

        groups.SendNext([Taken(1, 21), Taken(7, 22)]);

        var cut = shares.ExpectNextN(2);
        Assert.Equal([(Base, 1, 21.0), (Base.AddSeconds(5), 1, 22.0)], cut.Select(s => (s.Interval.Start, s.Count, s.Highest!.Temperature)));
        Assert.All(cut, share => Assert.False(share.Closed));
    }

    [Fact]
    public void No_window_closes_before_the_first_watermark()
    {
        var (groups, shares) = Run(closedOnly: true);

        groups.SendNext([Taken(1, 21)]);

        shares.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Windows_close_in_order_once_the_watermark_passed_their_end()
    {
        var (groups, shares) = Run(closedOnly: true);
        groups.SendNext([Taken(1, 21), Taken(6, 22), Taken(11, 23)]);

        _watermark.Advance(Base.AddSeconds(10));

        var closed = shares.ExpectNextN(2);
        Assert.Equal([Base, Base.AddSeconds(5)], closed.Select(s => s.Interval.Start));
        shares.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _watermark.Advance(Base.AddSeconds(15));
        Assert.Equal((Base.AddSeconds(10), 1), shares.ExpectNext() is var third ? (third.Interval.Start, third.Count) : default);
    }

    [Fact]
    public void A_reading_for_a_window_already_closed_is_counted_in_it_as_late_and_the_window_closes_again()
    {
        var (groups, shares) = Run(closedOnly: true);
        groups.SendNext([Taken(1, 21), Taken(2, 20)]);
        _watermark.Advance(Base.AddSeconds(5));
        var first = shares.ExpectNext();

        groups.SendNext([Taken(3, 25)]);

        var again = shares.ExpectNext();
        Assert.Equal((2, 0), (first.Count, first.Late));
        Assert.Equal((first.Interval, 3, 1, 25.0), (again.Interval, again.Count, again.Late, again.Highest!.Temperature));
    }

    [Fact]
    public void A_share_says_the_newest_timestamp_it_counted()
    {
        var (groups, shares) = Run(closedOnly: false);

        groups.SendNext([Taken(3, 21), Taken(1, 22)]);

        Assert.Equal(Base.AddSeconds(3), shares.ExpectNext().Newest);
    }

    [Fact]
    public void Stopping_closes_every_open_window_so_its_readings_can_be_settled()
    {
        var (groups, shares) = Run(closedOnly: true);
        groups.SendNext([Taken(1, 21), Taken(6, 22)]);

        groups.SendComplete();

        Assert.Equal([Base, Base.AddSeconds(5)], shares.ExpectNextN(2).Select(s => s.Interval.Start));
        shares.ExpectComplete();
    }
}
