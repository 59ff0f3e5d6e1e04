using ActorDemo.Readings;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit;

namespace ActorDemo.Aggregator.Tests;

public sealed class AlignedWindowsSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Length = TimeSpan.FromSeconds(5);

    // Any start: a quarter past seven and some milliseconds, not on a window boundary.
    private static readonly DateTimeOffset Started = new DateTimeOffset(2026, 11, 25, 7, 15, 3, TimeSpan.Zero).AddMilliseconds(712);

    private long _seq;

    /// <summary>A reading arrived at <paramref name="arrived"/>; each has a seq of its own unless one is given.</summary>
    private ArrivedReading At(DateTimeOffset arrived, double temperature, string device = "sensor-a-0001", long? seq = null) =>
        new(new TemperatureReading(device, temperature, arrived, seq ?? ++_seq), arrived);

    /// <param name="closedOnly">Only the closed shares, each window's last: what most specs look at.</param>
    private (TestPublisher.Probe<IEnumerable<ArrivedReading>> Groups, TestSubscriber.Probe<WindowShare> Windows) Run(TimeSpan length, Func<DateTimeOffset> clock, bool closedOnly = true)
    {
        var (groups, windows) = this.SourceProbe<IEnumerable<ArrivedReading>>()
            .Via(new AlignedWindows(length, TimeSpan.FromMilliseconds(100), clock))
            .Where(share => share.Closed || !closedOnly)
            .ToMaterialized(this.SinkProbe<WindowShare>(), Keep.Both)
            .Run(Sys.Materializer());
        windows.Request(100);
        return (groups, windows);
    }

    [Fact]
    public void Windows_are_aligned_to_the_clock_whenever_the_stream_started()
    {
        var (groups, windows) = Run(Length, () => Started);

        groups.SendNext([At(Started, 21), At(Started.AddSeconds(1), 22)]);
        groups.SendNext([At(Started.AddSeconds(2), 20)]);
        groups.SendComplete();

        var first = windows.ExpectNext();
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 7, 15, 0, TimeSpan.Zero), first.Interval.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 7, 15, 5, TimeSpan.Zero), first.Interval.End);
        Assert.Equal((22.0, 2), (first.Highest?.Temperature, first.Count));
        var second = windows.ExpectNext();
        Assert.Equal(first.Interval.End, second.Interval.Start);
        Assert.Equal((20.0, 1), (second.Highest?.Temperature, second.Count));
    }

    [Fact]
    public void After_every_group_the_open_windows_share_so_far_goes_out()
    {
        var (groups, shares) = Run(Length, () => Started, closedOnly: false);

        groups.SendNext([At(Started, 21), At(Started, 22)]);
        var first = shares.ExpectNext();
        groups.SendNext([At(Started.AddSeconds(1), 23)]);
        var second = shares.ExpectNext();

        Assert.Equal((false, 2, 22.0), (first.Closed, first.Count, first.Highest?.Temperature));
        Assert.Equal((false, 3, 23.0), (second.Closed, second.Count, second.Highest?.Temperature));
        Assert.Equal(first.Interval, second.Interval);
    }

    [Fact]
    public void A_closed_share_follows_the_open_ones_and_counts_the_whole_window()
    {
        var (groups, shares) = Run(Length, () => Started, closedOnly: false);

        groups.SendNext([At(Started, 21)]);
        groups.SendNext([At(Started, 22)]);
        groups.SendComplete();

        Assert.Equal([(false, 1), (false, 2), (true, 2)], shares.ExpectNextN(3).Select(s => (s.Closed, s.Count)));
        shares.ExpectComplete();
    }

    [Fact]
    public void A_group_spanning_a_boundary_is_split_there()
    {
        var (groups, windows) = Run(Length, () => Started);
        var boundary = new DateTimeOffset(2026, 11, 25, 7, 15, 5, TimeSpan.Zero);

        groups.SendNext([At(boundary.AddMilliseconds(-1), 30, "before"), At(boundary, 25, "on"), At(boundary.AddSeconds(1), 26, "after")]);
        var closed = windows.ExpectNext();
        groups.SendNext([At(boundary.AddSeconds(5), 20)]);
        var next = windows.ExpectNext();

        Assert.Equal((boundary, 30.0, "before", 1), (closed.Interval.End, closed.Highest?.Temperature, closed.Highest?.DeviceId, closed.Count));
        Assert.Equal((boundary, 26.0, "after", 2), (next.Interval.Start, next.Highest?.Temperature, next.Highest?.DeviceId, next.Count));
    }

    [Fact]
    public void The_maximum_names_the_first_device_that_reached_it()
    {
        var (groups, windows) = Run(Length, () => Started);

        groups.SendNext([At(Started, 24, "first"), At(Started, 24, "second"), At(Started, 23, "third")]);
        groups.SendComplete();

        Assert.Equal("first", windows.ExpectNext().Highest?.DeviceId);
        windows.ExpectComplete();
    }

    [Fact]
    public void A_reading_that_arrives_again_is_counted_once()
    {
        var (groups, windows) = Run(Length, () => Started);

        groups.SendNext([At(Started, 21, seq: 7), At(Started, 21, seq: 8), At(Started, 21, seq: 7)]);
        groups.SendComplete();

        var window = windows.ExpectNext();
        Assert.Equal((2, 1), (window.Count, window.Duplicates));
    }

    [Fact]
    public void Completing_reports_the_open_window_as_it_is()
    {
        var (groups, windows) = Run(Length, () => Started);

        groups.SendNext([At(Started, 21)]);
        groups.SendComplete();

        Assert.Equal(1, windows.ExpectNext().Count);
        windows.ExpectComplete();
    }

    [Fact]
    public void A_window_with_no_readings_is_reported_once_the_clock_passes_its_end()
    {
        var length = TimeSpan.FromMilliseconds(200);
        var (_, windows) = Run(length, () => DateTimeOffset.UtcNow);

        var empty = windows.ExpectNext(TimeSpan.FromSeconds(5));

        Assert.Equal((0, (ReadingMaximum?)null), (empty.Count, empty.Highest));
        Assert.Equal(length, empty.Interval.End - empty.Interval.Start);
    }
}
