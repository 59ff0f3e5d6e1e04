using Xunit;

namespace ActorDemo.Sensors.Tests;

/// <summary>
/// A fleet that offers more readings than the runtime's young generation suits says so, with the
/// setting that lifts it. On a virtual clock, so that the fleets here never measure.
/// </summary>
public sealed class YoungGenerationSpecs() : Akka.TestKit.Xunit2.TestKit("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")
{
    /// <summary>What .NET gives a 2-core machine by default.</summary>
    private const long DefaultBudget = 6L * 1024 * 1024;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Sensors at <see cref="Interval"/> that offer exactly the heavy rate.</summary>
    private static readonly int HeavyFleet = (int)(YoungGeneration.HeavyRate * Interval.TotalSeconds);

    [Fact]
    public void A_heavy_fleet_on_the_default_young_generation_is_told_the_setting_the_images_use()
    {
        var advice = YoungGeneration.Advice(100_000, TimeSpan.FromSeconds(1), DefaultBudget);

        Assert.NotNull(advice);
        Assert.Contains("100,000 readings/s", advice);
        Assert.Contains("grows to 6 MiB at most", advice);
        Assert.Contains("DOTNET_GCgen0size=0x4000000", advice);
    }

    [Fact]
    public void A_fleet_below_the_heavy_rate_gets_no_advice() =>
        Assert.Null(YoungGeneration.Advice(HeavyFleet - 1, Interval, DefaultBudget));

    [Fact]
    public void A_fleet_on_the_recommended_young_generation_gets_no_advice() =>
        Assert.Null(YoungGeneration.Advice(100_000, TimeSpan.FromSeconds(1), YoungGeneration.Recommended));

    [Fact]
    public void A_runtime_that_reports_no_budget_gets_no_advice() =>
        Assert.Null(YoungGeneration.Advice(100_000, TimeSpan.FromSeconds(1), 0));

    [Fact]
    public void A_fleet_warns_once_when_it_grows_past_the_heavy_rate_and_again_after_it_fell_below()
    {
        var settings = new FleetSettings("sensor", "n1", Interval, SteadyTemperature: 20) { YoungGenerationBudget = DefaultBudget };
        var fleet = Sys.ActorOf(SensorFleetActor.Props(settings, 1, _ => { }));
        void Resize(int count)
        {
            fleet.Tell(new SensorFleetProtocol.Resize(count));
            ExpectMsg<SensorFleetProtocol.Resized>();
        }

        EventFilter.Warning(contains: "DOTNET_GCgen0size").ExpectOne(() =>
        {
            Resize(HeavyFleet);
            Resize(HeavyFleet + 100);
        });
        EventFilter.Warning(contains: "DOTNET_GCgen0size").ExpectOne(() =>
        {
            Resize(HeavyFleet - 1);
            Resize(HeavyFleet);
        });
    }
}
