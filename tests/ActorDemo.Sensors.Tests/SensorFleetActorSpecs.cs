using ActorDemo.Readings;
using Xunit;

namespace ActorDemo.Sensors.Tests;

public sealed class SensorFleetActorSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly FleetSettings Settings = new("sensor", "n1", TimeSpan.FromMilliseconds(100), SteadyTemperature: 20);

    [Fact]
    public void A_fleet_starts_the_configured_number_of_sensors_named_by_device_id()
    {
        var fleet = Sys.ActorOf(SensorFleetActor.Props(Settings, 3, To(CreateTestProbe())));

        fleet.Tell(SensorFleetProtocol.GetFleet.Instance);

        Assert.Equal(new SensorFleetProtocol.Fleet(3, "sensor-n1-0000", "sensor-n1-0002", 3), ExpectMsg<SensorFleetProtocol.Fleet>());
    }

    [Fact]
    public void A_fleet_grows_and_shrinks_when_resized()
    {
        var fleet = Sys.ActorOf(SensorFleetActor.Props(Settings, 2, To(CreateTestProbe())));

        fleet.Tell(new SensorFleetProtocol.Resize(5));
        Assert.Equal(5, ExpectMsg<SensorFleetProtocol.Resized>().Count);
        fleet.Tell(new SensorFleetProtocol.Resize(1));
        Assert.Equal(1, ExpectMsg<SensorFleetProtocol.Resized>().Count);

        fleet.Tell(SensorFleetProtocol.GetFleet.Instance);
        Assert.Equal(new SensorFleetProtocol.Fleet(1, "sensor-n1-0000", "sensor-n1-0000", 1), ExpectMsg<SensorFleetProtocol.Fleet>());
    }

    [Fact]
    public void A_large_fleet_answers_at_once_and_grows_in_steps_to_its_size()
    {
        var fleet = Sys.ActorOf(SensorFleetActor.Props(Settings with { Interval = TimeSpan.FromHours(1) }, 0, To(CreateTestProbe())));

        fleet.Tell(new SensorFleetProtocol.Resize(5 * SensorFleetActor.GrowthStep));

        var resized = ExpectMsg<SensorFleetProtocol.Resized>();
        Assert.Equal((SensorFleetActor.GrowthStep, 5 * SensorFleetActor.GrowthStep), (resized.Count, resized.Target));
        AwaitAssert(() =>
        {
            fleet.Tell(SensorFleetProtocol.GetFleet.Instance);
            Assert.Equal(5 * SensorFleetActor.GrowthStep, ExpectMsg<SensorFleetProtocol.Fleet>().Count);
        });
    }

    [Fact]
    public void A_smaller_size_asked_while_the_fleet_grows_takes_effect_at_once_and_the_growth_stops()
    {
        var fleet = Sys.ActorOf(SensorFleetActor.Props(Settings with { Interval = TimeSpan.FromHours(1) }, 0, To(CreateTestProbe())));
        fleet.Tell(new SensorFleetProtocol.Resize(50 * SensorFleetActor.GrowthStep));
        ExpectMsg<SensorFleetProtocol.Resized>();

        fleet.Tell(new SensorFleetProtocol.Resize(10));

        Assert.Equal(new SensorFleetProtocol.Resized(10, 10), ExpectMsg<SensorFleetProtocol.Resized>());
        // A step of growing still queued finds nothing left to grow.
        fleet.Tell(SensorFleetProtocol.GetFleet.Instance);
        var fleetNow = ExpectMsg<SensorFleetProtocol.Fleet>();
        Assert.Equal((10, 10), (fleetNow.Count, fleetNow.Target));
    }

    [Fact]
    public void Stopped_sensors_stop_publishing()
    {
        var publisher = CreateTestProbe();
        var fleet = Sys.ActorOf(SensorFleetActor.Props(Settings, 3, To(publisher)));
        AwaitAssert(() => Assert.Equal(3, publisher.ReceiveN(30).Cast<TemperatureReading>().Select(r => r.DeviceId).Distinct().Count()));

        fleet.Tell(new SensorFleetProtocol.Resize(1));
        ExpectMsg<SensorFleetProtocol.Resized>();
        // Readings sent before the stopped sensors stopped may still arrive; then only the survivor's.
        AwaitAssert(
            () => Assert.Equal(["sensor-n1-0000"], publisher.ReceiveN(10).Cast<TemperatureReading>().Select(r => r.DeviceId).Distinct()),
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_negative_size_is_refused_and_the_fleet_goes_on()
    {
        var fleet = Sys.ActorOf(SensorFleetActor.Props(Settings, 2, To(CreateTestProbe())));

        fleet.Tell(new SensorFleetProtocol.Resize(-1));
        ExpectMsg<Akka.Actor.Status.Failure>();

        fleet.Tell(SensorFleetProtocol.GetFleet.Instance);
        Assert.Equal(2, ExpectMsg<SensorFleetProtocol.Fleet>().Count);
    }

    [Fact]
    public void Each_sensor_of_a_steady_fleet_reads_its_own_temperature()
    {
        var publisher = CreateTestProbe();
        Sys.ActorOf(SensorFleetActor.Props(Settings, 3, To(publisher)));

        // Waits on the condition (all three heard from), not on a count of attempts, which a busy machine can exhaust.
        var byDevice = new Dictionary<string, double>();
        publisher.FishForMessage<TemperatureReading>(
            reading =>
            {
                byDevice[reading.DeviceId] = reading.Temperature;
                return byDevice.Count == 3;
            },
            TimeSpan.FromSeconds(10));

        Assert.Equal(20.0, byDevice["sensor-n1-0000"]);
        Assert.Equal(20.1, byDevice["sensor-n1-0001"]);
        Assert.Equal(20.2, byDevice["sensor-n1-0002"]);
    }

    /// <summary>Publishes each reading to <paramref name="probe"/>, where the node would offer it to its buffer.</summary>
    private static Action<TemperatureReading> To(IActorRef probe) => reading => probe.Tell(reading);
}
