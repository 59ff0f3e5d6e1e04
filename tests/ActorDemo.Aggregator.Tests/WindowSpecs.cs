using ActorDemo.Aggregator;
using ActorDemo.Shared.Readings;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit;

namespace ActorDemo.Aggregator.Tests;

public sealed class WindowSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 7, 40, 0, TimeSpan.Zero);

    private static TemperatureReading Reading(string device, double temperature) => new(device, temperature, T0, 0);

    private (TestPublisher.Probe<TemperatureReading>, TestSubscriber.Probe<WindowMaximum>) Run(TimeSpan length, int maxBatch, Func<DateTimeOffset>? clock = null) =>
        this.SourceProbe<TemperatureReading>()
            .Via(WindowStream.Windows(length, maxBatch, clock ?? (() => DateTimeOffset.UtcNow)))
            .ToMaterialized(this.SinkProbe<WindowMaximum>(), Keep.Both)
            .Run(Sys.Materializer());

    [Fact]
    public void Each_window_reports_the_exact_maximum_of_its_readings()
    {
        var (readings, windows) = Run(TimeSpan.FromMinutes(1), maxBatch: 3);
        windows.Request(3);

        foreach (var (device, temperature) in new[] { ("a", 21.0), ("b", 25.5), ("a", 23.0), ("c", 19.0), ("a", 22.0), ("b", 21.5), ("c", 30.0) })
        {
            readings.SendNext(Reading(device, temperature));
        }

        readings.SendComplete();

        var first = windows.ExpectNext();
        var second = windows.ExpectNext();
        var last = windows.ExpectNext();
        Assert.Equal((25.5, "b", 3), (first.Max, first.DeviceId, first.Count));
        Assert.Equal((22.0, "a", 3), (second.Max, second.DeviceId, second.Count));
        Assert.Equal((30.0, "c", 1), (last.Max, last.DeviceId, last.Count));
        Assert.Equal(23.0, first.DeviceMaxima["a"]);
        windows.ExpectComplete();
    }

    [Fact]
    public void A_window_closes_after_its_length_though_not_full()
    {
        var (readings, windows) = Run(TimeSpan.FromMilliseconds(300), maxBatch: 1000);
        windows.Request(1);

        readings.SendNext(Reading("a", 20));
        readings.SendNext(Reading("b", 21));

        var window = windows.ExpectNext(TimeSpan.FromSeconds(5));
        Assert.Equal((21.0, 2), (window.Max, window.Count));
    }

    [Fact]
    public void A_window_starts_where_the_previous_one_ended()
    {
        var now = T0;
        var (readings, windows) = Run(TimeSpan.FromMinutes(1), maxBatch: 1, () => now);
        windows.Request(2);

        now = T0.AddSeconds(5);
        readings.SendNext(Reading("a", 20));
        var first = windows.ExpectNext();
        now = T0.AddSeconds(8);
        readings.SendNext(Reading("a", 20));
        var second = windows.ExpectNext();

        Assert.Equal(T0.AddSeconds(5) - TimeSpan.FromMinutes(1), first.WindowStart);
        Assert.Equal(first.WindowEnd, second.WindowStart);
        Assert.Equal(T0.AddSeconds(8), second.WindowEnd);
    }
}
