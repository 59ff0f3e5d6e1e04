using ActorDemo.Readings;
using Akka.TestKit;
using Xunit;

namespace ActorDemo.Sensors.Tests;

/// <summary>On a virtual clock: time moves only when the spec advances it, so intervals are checked exactly.</summary>
public sealed class SensorActorSpecs() : Akka.TestKit.Xunit2.TestKit("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Nothing = TimeSpan.FromMilliseconds(100);

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    private TestProbe StartSensor(TimeSpan firstTick)
    {
        var publisher = CreateTestProbe();
        var sensor = Sys.ActorOf(SensorActor.Props(new SensorSettings("sensor-n1-0003", Interval, firstTick, new TemperatureModel.Steady(21.5)), reading => publisher.Tell(reading)));
        // An Identify round trip: the sensor has started and scheduled its ticks.
        sensor.Tell(new Identify(null));
        ExpectMsg<ActorIdentity>();
        return publisher;
    }

    [Fact]
    public void A_sensor_publishes_readings_with_increasing_sequence_numbers()
    {
        var publisher = StartSensor(TimeSpan.Zero);

        var readings = new List<TemperatureReading>();
        for (var i = 0; i < 5; i++)
        {
            Clock.Advance(i == 0 ? TimeSpan.Zero : Interval);
            readings.Add(publisher.ExpectMsg<TemperatureReading>());
        }

        Assert.Equal([1L, 2, 3, 4, 5], readings.Select(r => r.Seq));
        Assert.All(readings, r => Assert.Equal("sensor-n1-0003", r.DeviceId));
        Assert.All(readings, r => Assert.Equal(21.5, r.Temperature));
    }

    [Fact]
    public void A_sensor_publishes_once_per_interval()
    {
        var publisher = StartSensor(TimeSpan.Zero);
        Clock.Advance(TimeSpan.Zero);
        publisher.ExpectMsg<TemperatureReading>();

        Clock.Advance(Interval - TimeSpan.FromMilliseconds(10));
        publisher.ExpectNoMsg(Nothing);
        Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(2, publisher.ExpectMsg<TemperatureReading>().Seq);

        var next = Enumerable.Range(0, 3).Select(_ =>
        {
            Clock.Advance(Interval);
            return publisher.ExpectMsg<TemperatureReading>().Seq;
        });
        Assert.Equal([3L, 4, 5], next);
        publisher.ExpectNoMsg(Nothing);
    }

    [Fact]
    public void A_sensor_waits_for_its_first_tick_before_publishing()
    {
        var firstTick = TimeSpan.FromMilliseconds(500);
        var publisher = StartSensor(firstTick);

        Clock.Advance(firstTick - TimeSpan.FromMilliseconds(10));
        publisher.ExpectNoMsg(Nothing);
        Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, publisher.ExpectMsg<TemperatureReading>().Seq);
    }
}
