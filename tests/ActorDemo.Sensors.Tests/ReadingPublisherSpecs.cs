using System.Text.Json;
using ActorDemo.Amqp;
using ActorDemo.Readings;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Amqp.Framing;
using Xunit;
using Message = Amqp.Message;

namespace ActorDemo.Sensors.Tests;

public sealed class ReadingPublisherSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static TemperatureReading Reading(long seq) => new("sensor-n1-0001", 22.4, DateTimeOffset.UtcNow, seq);

    /// <summary>A publisher whose readings stream, built as the node builds it, ends in <paramref name="probe"/> instead of the AMQP sink.</summary>
    private IActorRef Publisher(
        TestSubscriber.ManualProbe<Message> probe,
        ReadingBuffer buffer,
        AmqpLinkMetrics? link = null,
        Task<Done>? completion = null,
        TimeSpan? dropReportInterval = null,
        TimeSpan? noReceiverAfter = null)
    {
        var sink = Sink.FromSubscriber(probe).MapMaterializedValue(_ => new AmqpSinkHandle(completion ?? Task.FromResult(Done.Instance), link ?? new AmqpLinkMetrics()));
        var stream = SensorHosting.RunReadings(buffer, sink, Sys.Materializer());
        var stall = new SendStall(maxInFlight: 100, "temperature", noReceiverAfter ?? TimeSpan.Zero);
        return Sys.ActorOf(ReadingPublisher.Props(buffer, stream, stall, "temperature", dropReportInterval));
    }

    [Fact]
    public void Readings_reach_the_sink_as_the_json_of_the_design_card()
    {
        var sink = this.CreateManualSubscriberProbe<Message>();
        var buffer = new ReadingBuffer(10);
        Publisher(sink, buffer);
        var subscription = sink.ExpectSubscription();
        subscription.Request(1);

        buffer.Offer(Reading(42));

        var message = sink.ExpectNext();
        Assert.Equal(ReadingCodec.ContentType, message.Properties.ContentType);
        using var json = JsonDocument.Parse(((Data)message.BodySection).Binary);
        Assert.Equal("sensor-n1-0001", json.RootElement.GetProperty("device-id").GetString());
        Assert.Equal(22.4, json.RootElement.GetProperty("temperature").GetDouble());
        Assert.Equal(42, json.RootElement.GetProperty("seq").GetInt64());
    }

    [Fact]
    public void Readings_beyond_the_buffer_are_dropped_and_counted_while_the_sink_takes_nothing()
    {
        var sink = this.CreateManualSubscriberProbe<Message>();
        var buffer = new ReadingBuffer(5);
        var publisher = Publisher(sink, buffer);
        sink.ExpectSubscription();

        for (var seq = 1; seq <= 20; seq++)
        {
            buffer.Offer(Reading(seq));
        }

        AwaitAssert(() =>
        {
            publisher.Tell(ReadingPublisherProtocol.GetCounts.Instance);
            var counts = ExpectMsg<ReadingPublisherProtocol.Counts>();
            Assert.Equal(20, counts.Offered);
            // Encoding may hold one reading beyond the buffer.
            Assert.InRange(counts.Dropped, 14, 15);
        });
    }

    [Fact]
    public void Draining_sends_the_buffered_readings_and_answers_once_the_sink_completed()
    {
        var sink = this.CreateManualSubscriberProbe<Message>();
        var completion = new TaskCompletionSource<Done>();
        var buffer = new ReadingBuffer(10);
        var publisher = Publisher(sink, buffer, completion: completion.Task);
        var subscription = sink.ExpectSubscription();
        buffer.Offer(Reading(1));
        buffer.Offer(Reading(2));

        publisher.Tell(ReadingPublisherProtocol.Drain.Instance);
        subscription.Request(10);
        sink.ExpectNext();
        sink.ExpectNext();
        sink.ExpectComplete();
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        completion.SetResult(Done.Instance);
        ExpectMsg<Done>();
    }

    [Fact]
    public void Dropped_readings_are_reported_in_the_log_with_their_count_and_the_reason()
    {
        var link = new AmqpLinkMetrics();
        link.SetState(LinkStatus.Attached);
        link.SetInFlight(unsettled: 3, pending: 0);

        // Nothing is taken downstream (as while no receiver gives credit): a buffer of 2 keeps the newest.
        EventFilter.Warning(new System.Text.RegularExpressions.Regex("^Dropped (7|8) readings in the last .* no reading can leave while no receiver is attached")).ExpectOne(
            TimeSpan.FromSeconds(5), () => OfferTenWithNothingTaken(link));
    }

    [Fact]
    public void Drops_while_the_link_is_down_name_the_link_and_what_to_check_not_a_missing_aggregator()
    {
        var link = new AmqpLinkMetrics();
        link.SetState(LinkStatus.Reconnecting, "amqp:unauthorized-access: wrong password");

        EventFilter.Warning(new System.Text.RegularExpressions.Regex("^Dropped (7|8) readings .* the AMQP link to 'temperature' is Reconnecting \\(amqp:unauthorized-access: wrong password\\); check --amqp-url")).ExpectOne(
            TimeSpan.FromSeconds(5), () => OfferTenWithNothingTaken(link));
    }

    [Fact]
    public void Drops_while_the_in_flight_window_awaits_settlement_say_so_and_name_the_settings_that_lift_it()
    {
        var link = new AmqpLinkMetrics();
        link.SetState(LinkStatus.Attached);
        link.SetInFlight(unsettled: 100, pending: 0);
        link.OnAccepted();

        EventFilter.Warning(new System.Text.RegularExpressions.Regex("^Dropped (7|8) readings .* 100 readings are in flight awaiting settlement, all that --max-in-flight \\(100\\) allows.*linkCapacity")).ExpectOne(
            TimeSpan.FromSeconds(5), () => OfferTenWithNothingTaken(link, noReceiverAfter: TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void The_counts_say_why_readings_wait()
    {
        var link = new AmqpLinkMetrics();
        link.SetState(LinkStatus.Reconnecting, "connection refused");
        var publisher = Publisher(this.CreateManualSubscriberProbe<Message>(), new ReadingBuffer(2), link);

        AwaitAssert(() =>
        {
            publisher.Tell(ReadingPublisherProtocol.GetCounts.Instance);
            var counts = ExpectMsg<ReadingPublisherProtocol.Counts>();
            Assert.Equal("link-down", counts.Stall);
            Assert.Contains("Reconnecting (connection refused)", counts.StallReason);
        });
    }

    [Fact]
    public void The_publishers_last_line_adds_up_with_the_rejected_readings()
    {
        var link = new AmqpLinkMetrics();
        link.OnRejected();
        link.OnRejected();
        var publisher = Publisher(this.CreateManualSubscriberProbe<Message>(), new ReadingBuffer(10), link);

        EventFilter.Info(contains: "0 dropped, 2 rejected").ExpectOne(() => Sys.Stop(publisher));
    }

    private void OfferTenWithNothingTaken(AmqpLinkMetrics link, TimeSpan? noReceiverAfter = null)
    {
        var sink = this.CreateManualSubscriberProbe<Message>();
        var buffer = new ReadingBuffer(2);
        Publisher(sink, buffer, link, dropReportInterval: TimeSpan.FromMilliseconds(200), noReceiverAfter: noReceiverAfter);
        sink.ExpectSubscription();
        for (var seq = 1; seq <= 10; seq++)
        {
            buffer.Offer(Reading(seq));
        }
    }
}
