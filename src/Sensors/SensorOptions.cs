using ActorDemo.Node.Hosting;
using ActorDemo.Readings;

namespace ActorDemo.Sensors;

/// <summary>The sensor fleet of a node, bound from <c>ActorDemo:Sensors</c>.</summary>
public sealed class SensorOptions
{
    /// <summary>
    /// The most sensors one node runs, so that a typo cannot exhaust it: measured at 1 Hz on 2 cores,
    /// 100,000 sensors hold the node at about 750 MiB (250,000 took 1.45 GiB), though beyond about
    /// 50,000 readings a second the node drops readings (counted) for want of CPU.
    /// </summary>
    public const int MaxCount = 100_000;

    /// <summary>Sensors on this node.</summary>
    public int Count { get; set; } = 10;

    /// <summary>Time between two readings of one sensor.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    public string Prefix { get; set; } = "sensor";

    /// <summary>Readings buffered while the link has no credit; beyond it the oldest are dropped.</summary>
    public int Buffer { get; set; } = 10_000;

    /// <summary>
    /// Steady sensor i reads <see cref="SteadyTemperature"/> + (i mod SteadySteps) / 10 °C: a tenth more
    /// per device index, and never more than <see cref="SteadySpread"/> above it, however large the fleet.
    /// </summary>
    public const int SteadySteps = 100;

    public const double SteadySpread = (SteadySteps - 1) / 10.0;

    /// <summary>When set, sensor i always reads this plus (i mod 100)/10 °C instead of a random walk (for checks and demos).</summary>
    public double? SteadyTemperature { get; set; }

    /// <summary>How long a sensor node without the aggregator role waits for an aggregator to come back before it stops for a restart.</summary>
    public TimeSpan RejoinAfter { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The sensor role's options: their rows of the option table and their checks.</summary>
public static class SensorOptionTable
{
    private const string RejoinAfter = "--rejoin-after";

    /// <summary>Every option of the sensor role, as the sensor executable takes them.</summary>
    public static OptionSection<SensorOptions> Section { get; } = new OptionSection<SensorOptions>("Sensors", options => options.Sensors)
        .Option("--sensors", s => s.Count, "sensors on this node")
        .Option("--interval", s => s.Interval, "time between two readings of a sensor (500ms, 1s, 00:00:01)")
        .Option("--sensor-prefix", s => s.Prefix, "first part of device ids")
        .Option("--buffer", s => s.Buffer, "readings buffered while no receiver gives credit; the oldest are dropped beyond")
        .Option("--steady-temperature", s => s.SteadyTemperature, "sensor i always reads this + (i mod 100)/10 °C instead of a random walk", unset: "(random walk)")
        .Option(RejoinAfter, s => s.RejoinAfter, "when all aggregators are gone, stop this long after with status 75, to be restarted into their cluster")
        .Checks(Check);

    /// <summary>The fleet's options alone, for a node that runs sensors beside an aggregator (which never waits to rejoin one).</summary>
    public static OptionSection<SensorOptions> Fleet { get; } = Section.Without(RejoinAfter);

    private static void Check(SensorOptions sensors, OptionChecks<SensorOptions> checks)
    {
        checks.Require(sensors.Count is >= 0 and <= SensorOptions.MaxCount, s => s.Count, $"{sensors.Count} is outside 0..{SensorOptions.MaxCount:N0}");
        checks.Require(sensors.Interval > TimeSpan.Zero, s => s.Interval, $"{sensors.Interval} is not a positive time; use 1s or 500ms");
        checks.Require(!string.IsNullOrWhiteSpace(sensors.Prefix), s => s.Prefix, "it is empty");
        checks.Require(sensors.Buffer > 0, s => s.Buffer, $"{sensors.Buffer} is not a positive number of readings");
        checks.Require(
            sensors.SteadyTemperature is null or (> TemperatureReading.AbsoluteZero and < TemperatureReading.Ceiling - SensorOptions.SteadySpread),
            s => s.SteadyTemperature,
            $"{sensors.SteadyTemperature} °C is outside {TemperatureReading.AbsoluteZero}..{TemperatureReading.Ceiling - SensorOptions.SteadySpread} (steady sensors read up to {SensorOptions.SteadySpread} °C more)");
        checks.Require(sensors.RejoinAfter > TimeSpan.Zero, s => s.RejoinAfter, $"{sensors.RejoinAfter} is not a positive time; use 30s");
    }
}

/// <summary>The sensor role's options on a node's options.</summary>
public static class SensorOptionsAccess
{
    extension(ActorDemoOptions options)
    {
        public SensorOptions Sensors => options.Role<SensorOptions>();
    }
}
