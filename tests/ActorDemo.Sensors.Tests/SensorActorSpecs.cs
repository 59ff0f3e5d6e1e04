using ActorDemo.Readings;
using Xunit;

namespace ActorDemo.Sensors.Tests;

public sealed class SensorActorSpecs : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void A_sensor_publishes_one_reading_per_measure_with_increasing_sequence_numbers()
    {
        var publisher = CreateTestProbe();
        var sensor = Sys.ActorOf(SensorActor.Props(new SensorSettings("sensor-n1-0003", new TemperatureModel.Steady(21.5)), reading => publisher.Tell(reading)));

        for (var i = 0; i < 5; i++)
        {
            sensor.Tell(SensorActor.Measure.Instance);
        }

        var readings = publisher.ReceiveN(5).Cast<TemperatureReading>().ToList();
        Assert.Equal([1L, 2, 3, 4, 5], readings.Select(r => r.Seq));
        Assert.All(readings, r => Assert.Equal("sensor-n1-0003", r.DeviceId));
        Assert.All(readings, r => Assert.Equal(21.5, r.Temperature));
    }

    [Fact]
    public void A_sensor_publishes_nothing_until_told_to_measure()
    {
        var publisher = CreateTestProbe();
        Sys.ActorOf(SensorActor.Props(new SensorSettings("sensor-n1-0003", new TemperatureModel.Steady(21.5)), reading => publisher.Tell(reading)));

        publisher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
