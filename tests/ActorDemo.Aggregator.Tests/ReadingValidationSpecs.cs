using ActorDemo.Amqp;
using ActorDemo.Readings;
using ActorDemo.Testing;
using Akka.Streams.TestKit;
using Amqp;
using Amqp.Framing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Aggregator.Tests;

public sealed class ReadingValidationSpecs(ITestOutputHelper output) : RouterSpec(output)
{
    private (TestSubscriber.Probe<ArrivedReading> Probe, RejectedReadings Rejected) Subscribe(TimeSpan? futureLimit = null)
    {
        var rejected = new RejectedReadings(NullLogger<RejectedReadings>.Instance, Address);
        var probe = AmqpSource.Create(new AmqpSourceSettings(Router.Endpoint, Address))
            .Via(WindowStream.Readings(rejected, () => DateTimeOffset.UtcNow, futureLimit: futureLimit))
            .RunWith(this.SinkProbe<ArrivedReading>(), Materializer);
        return (probe, rejected);
    }

    [Fact]
    public async Task A_malformed_message_is_rejected_with_its_reason_and_the_stream_goes_on()
    {
        var (probe, rejected) = Subscribe();
        var sender = await Router.SenderAsync(Address);
        probe.Request(10);

        var bad = sender.SendWithOutcome("hot");
        var good = sender.SendWithOutcome("23");

        var outcome = Assert.IsType<Rejected>(await bad.WaitAsync(Wait));
        Assert.Equal("amqp:invalid-field", outcome.Error.Condition.ToString());
        Assert.Contains("hot", outcome.Error.Description);
        var arrived = probe.ExpectNext(Wait);
        Assert.Equal(23.0, arrived.Reading.Temperature);
        arrived.Delivery!.Accept();
        Assert.IsType<Accepted>(await good.WaitAsync(Wait));
        Assert.Equal(1, rejected.CountOf(RejectReason.Format));
        probe.Cancel();
    }

    [Fact]
    public async Task A_valid_reading_leaves_the_stage_unsettled_with_its_delivery_and_arrival_time()
    {
        var (probe, _) = Subscribe();
        var sender = await Router.SenderAsync(Address);
        var before = DateTimeOffset.UtcNow;

        var outcome = sender.SendWithOutcome(new Message { BodySection = new Data { Binary = "{\"device-id\":\"sensor-x-0001\",\"temperature\":22.4,\"seq\":7}"u8.ToArray() } });
        probe.Request(1);
        var arrived = probe.ExpectNext(Wait);

        Assert.Equal(("sensor-x-0001", 7L), (arrived.Reading.DeviceId, arrived.Reading.Seq));
        Assert.InRange(arrived.ArrivedAt, before, DateTimeOffset.UtcNow);
        Assert.False(arrived.Delivery!.IsSettled);
        arrived.Delivery.Accept();
        Assert.IsType<Accepted>(await outcome.WaitAsync(Wait));
        probe.Cancel();
    }

    private static Message Stamped(DateTimeOffset timestamp) => new()
    {
        BodySection = new Data { Binary = System.Text.Encoding.UTF8.GetBytes($"{{\"device-id\":\"sensor-x-0001\",\"temperature\":22.4,\"timestamp\":\"{timestamp.UtcDateTime:O}\"}}") },
    };

    [Fact]
    public async Task By_event_time_a_reading_stamped_beyond_the_future_limit_is_rejected_with_how_far_ahead_it_is()
    {
        var (probe, rejected) = Subscribe(futureLimit: TimeSpan.FromSeconds(10));
        var sender = await Router.SenderAsync(Address);
        probe.Request(10);

        var ahead = sender.SendWithOutcome(Stamped(DateTimeOffset.UtcNow.AddMinutes(1)));
        var inTime = sender.SendWithOutcome(Stamped(DateTimeOffset.UtcNow.AddSeconds(5)));

        var outcome = Assert.IsType<Rejected>(await ahead.WaitAsync(Wait));
        Assert.Matches(@"is (59|60)\.\d s ahead of the cluster's clock, more than --future-limit \(10 s\)", outcome.Error.Description);
        var arrived = probe.ExpectNext(Wait);
        arrived.Delivery!.Accept();
        Assert.IsType<Accepted>(await inTime.WaitAsync(Wait));
        Assert.Equal(1, rejected.CountOf(RejectReason.Future));
        probe.Cancel();
    }

    [Fact]
    public async Task By_arrival_time_a_timestamp_ahead_is_no_reason_to_reject()
    {
        var (probe, rejected) = Subscribe();
        var sender = await Router.SenderAsync(Address);
        probe.Request(1);

        var ahead = sender.SendWithOutcome(Stamped(DateTimeOffset.UtcNow.AddHours(1)));

        probe.ExpectNext(Wait).Delivery!.Accept();
        Assert.IsType<Accepted>(await ahead.WaitAsync(Wait));
        Assert.Equal(0, rejected.CountOf(RejectReason.Future));
        probe.Cancel();
    }
}
