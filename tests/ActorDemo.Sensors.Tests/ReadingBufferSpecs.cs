using ActorDemo.Readings;
using Akka.Streams;
using Akka.Streams.TestKit;
using Xunit;

namespace ActorDemo.Sensors.Tests;

public sealed class ReadingBufferSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static TemperatureReading Reading(long seq) => new("sensor-n1-0000", 20, DateTimeOffset.UnixEpoch, seq);

    private (ReadingBuffer Queue, TestSubscriber.Probe<TemperatureReading> Probe) Run(int capacity)
    {
        var buffer = new ReadingBuffer(capacity);
        return (buffer, buffer.Readings.RunWith(this.SinkProbe<TemperatureReading>(), Sys.Materializer()));
    }

    [Fact]
    public void Readings_offered_go_downstream_in_order()
    {
        var (queue, probe) = Run(10);

        queue.Offer(Reading(1));
        queue.Offer(Reading(2));

        probe.Request(2);
        Assert.Equal([1L, 2], new[] { probe.ExpectNext(), probe.ExpectNext() }.Select(r => r.Seq));
    }

    [Fact]
    public void A_full_buffer_drops_the_oldest_and_counts_it()
    {
        var (queue, probe) = Run(3);

        var kept = Enumerable.Range(1, 5).Select(seq => queue.Offer(Reading(seq))).ToList();

        Assert.Equal([true, true, true, false, false], kept);
        Assert.Equal(2, queue.Dropped);
        Assert.Equal(5, queue.Offered);
        probe.Request(3);
        Assert.Equal([3L, 4, 5], new[] { probe.ExpectNext(), probe.ExpectNext(), probe.ExpectNext() }.Select(r => r.Seq));
    }

    [Fact]
    public void A_reading_offered_while_downstream_waits_is_pushed_at_once()
    {
        var (queue, probe) = Run(10);
        probe.Request(1);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        queue.Offer(Reading(7));

        Assert.Equal(7, probe.ExpectNext().Seq);
    }

    [Fact]
    public void Completing_sends_what_is_buffered_then_completes_and_drops_late_readings()
    {
        var (queue, probe) = Run(10);
        queue.Offer(Reading(1));

        queue.Complete();
        Assert.False(queue.Offer(Reading(2)));

        probe.Request(5);
        Assert.Equal(1, probe.ExpectNext().Seq);
        probe.ExpectComplete();
        Assert.Equal(1, queue.Dropped);
    }
}
