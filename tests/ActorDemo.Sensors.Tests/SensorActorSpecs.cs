using ActorDemo.Sensors;
using ActorDemo.Shared.Readings;
using Xunit;

namespace ActorDemo.Sensors.Tests;

public sealed class SensorActorSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void A_sensor_publishes_readings_with_increasing_sequence_numbers()
    {
        var publisher = CreateTestProbe();
        Sys.ActorOf(SensorActor.Props(new SensorSettings("sensor-n1-0003", Interval, TimeSpan.Zero, new TemperatureModel.Steady(21.5)), publisher));

        var readings = Enumerable.Range(0, 5).Select(_ => publisher.ExpectMsg<TemperatureReading>()).ToList();

        Assert.Equal([1L, 2, 3, 4, 5], readings.Select(r => r.Seq));
        Assert.All(readings, r => Assert.Equal("sensor-n1-0003", r.DeviceId));
        Assert.All(readings, r => Assert.Equal(21.5, r.Temperature));
    }

    [Fact]
    public void A_sensor_publishes_once_per_interval()
    {
        var publisher = CreateTestProbe();
        var interval = TimeSpan.FromMilliseconds(300);
        Sys.ActorOf(SensorActor.Props(new SensorSettings("sensor-n1-0000", interval, TimeSpan.Zero, new TemperatureModel.Steady(20)), publisher));

        var first = publisher.ExpectMsg<TemperatureReading>();
        // Nothing more until the interval has passed, then the next one.
        publisher.ExpectNoMsg(interval * 0.6);
        var second = publisher.ExpectMsg<TemperatureReading>(interval * 3);

        Assert.Equal(first.Seq + 1, second.Seq);
        Assert.InRange(second.Timestamp - first.Timestamp, interval * 0.6, interval * 3);
    }

    [Fact]
    public void A_sensor_waits_for_its_first_tick_before_publishing()
    {
        var publisher = CreateTestProbe();
        var firstTick = TimeSpan.FromMilliseconds(500);
        Sys.ActorOf(SensorActor.Props(new SensorSettings("sensor-n1-0000", Interval, firstTick, new TemperatureModel.Steady(20)), publisher));

        publisher.ExpectNoMsg(firstTick * 0.6);
        Assert.Equal(1, publisher.ExpectMsg<TemperatureReading>().Seq);
    }
}
