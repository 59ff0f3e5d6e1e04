using ActorDemo.Readings;
using Akka.TestKit;
using Xunit;

namespace ActorDemo.Sensors.Tests;

/// <summary>On a virtual clock: time moves only when the spec advances it, so intervals are checked exactly.</summary>
public sealed class SensorFleetBeatSpecs() : Akka.TestKit.Xunit2.TestKit("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")
{
    private static readonly FleetSettings Settings = new("sensor", "n1", TimeSpan.FromSeconds(1), SteadyTemperature: 20);
    private static readonly TimeSpan Nothing = TimeSpan.FromMilliseconds(200);

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    private TimeSpan Beat => Settings.Interval / Settings.Beats;

    private TestProbe StartFleet(int sensors) => StartFleet(sensors, out _);

    private TestProbe StartFleet(int sensors, out IActorRef fleet)
    {
        var publisher = CreateTestProbe();
        fleet = Sys.ActorOf(SensorFleetActor.Props(Settings, sensors, reading => publisher.Tell(reading)));
        // A round trip: the fleet has started its sensors and its beat.
        fleet.Tell(SensorFleetProtocol.GetFleet.Instance);
        ExpectMsg<SensorFleetProtocol.Fleet>();
        return publisher;
    }

    private void AdvanceBeats(int beats)
    {
        for (var i = 0; i < beats; i++)
        {
            Clock.Advance(Beat);
        }
    }

    [Fact]
    public void Each_sensor_of_a_fleet_measures_once_per_interval()
    {
        var publisher = StartFleet(3);

        for (var interval = 1; interval <= 3; interval++)
        {
            AdvanceBeats(Settings.Beats);
            var readings = publisher.ReceiveN(3).Cast<TemperatureReading>().ToList();
            Assert.Equal(["sensor-n1-0000", "sensor-n1-0001", "sensor-n1-0002"], readings.Select(r => r.DeviceId).Order());
            Assert.All(readings, r => Assert.Equal(interval, r.Seq));
            publisher.ExpectNoMsg(Nothing);
        }
    }

    [Fact]
    public void A_fleet_publishes_nothing_before_its_first_beat()
    {
        var publisher = StartFleet(3);

        Clock.Advance(Beat - TimeSpan.FromMilliseconds(1));

        publisher.ExpectNoMsg(Nothing);
    }

    [Fact]
    public void A_sensor_added_to_a_running_fleet_measures_once_per_interval_from_then_on()
    {
        var publisher = StartFleet(1, out var fleet);
        AdvanceBeats(Settings.Beats / 2);

        fleet.Tell(new SensorFleetProtocol.Resize(2));
        ExpectMsg<SensorFleetProtocol.Resized>();
        AdvanceBeats(2 * Settings.Beats);

        // The first sensor measured on beats 0, 100 and 200; the added one on two of its own beats.
        var readings = publisher.ReceiveN(5).Cast<TemperatureReading>().ToList();
        Assert.Equal([1L, 2], readings.Where(r => r.DeviceId == "sensor-n1-0001").Select(r => r.Seq));
        publisher.ExpectNoMsg(Nothing);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(10)]
    public void Sensors_are_spread_evenly_over_the_beats_at_every_fleet_size(int beats)
    {
        var settings = Settings with { Interval = beats * TimeSpan.FromMilliseconds(10) };
        Assert.Equal(beats, settings.Beats);

        var perBeat = new int[beats];
        for (var sensors = 1; sensors <= 2_000; sensors++)
        {
            perBeat[settings.BeatOf(sensors - 1)]++;
            Assert.True(perBeat.Max() - perBeat.Min() <= 4, $"{sensors} sensors: {string.Join(',', perBeat)} per beat");
        }
    }

    [Theory]
    [InlineData(1_000, 100)]
    [InlineData(100, 10)]
    [InlineData(5, 1)]
    [InlineData(15, 1)]
    public void An_interval_is_cut_into_beats_no_shorter_than_the_schedulers_tick(int intervalMs, int beats) =>
        Assert.Equal(beats, (Settings with { Interval = TimeSpan.FromMilliseconds(intervalMs) }).Beats);
}
