using ActorDemo.Aggregator;
using ActorDemo.Shared.Amqp;
using ActorDemo.Shared.Readings;
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
    private (TestSubscriber.Probe<TemperatureReading> Probe, RejectedReadings Rejected) Subscribe()
    {
        var rejected = new RejectedReadings(NullLogger<RejectedReadings>.Instance, Address);
        var probe = AmqpSource.Create(new AmqpSourceSettings(Router.Endpoint, Address))
            .Via(WindowStream.Readings(rejected, () => DateTimeOffset.UtcNow))
            .RunWith(this.SinkProbe<TemperatureReading>(), Materializer);
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
        Assert.Equal(23.0, probe.ExpectNext(Wait).Temperature);
        Assert.IsType<Accepted>(await good.WaitAsync(Wait));
        Assert.Equal(1, rejected.Count);
        probe.Cancel();
    }

    [Fact]
    public async Task A_reading_is_accepted_as_soon_as_it_enters_the_next_stage()
    {
        var (probe, _) = Subscribe();
        var sender = await Router.SenderAsync(Address);

        var outcome = sender.SendWithOutcome(new Message { BodySection = new Data { Binary = "{\"device-id\":\"sensor-x-0001\",\"temperature\":22.4}"u8.ToArray() } });
        await Task.Delay(200);
        Assert.False(outcome.IsCompleted, "nothing took the reading yet, so it must not be accepted");

        probe.Request(1);
        Assert.Equal("sensor-x-0001", probe.ExpectNext(Wait).DeviceId);
        Assert.IsType<Accepted>(await outcome.WaitAsync(Wait));
        probe.Cancel();
    }
}
