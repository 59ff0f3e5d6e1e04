using Xunit;

namespace ActorDemo.Sensors.Tests;

public sealed class TemperatureModelSpecs
{
    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(1234)]
    public void A_random_walk_stays_between_20_and_25_degrees_in_small_steps(int seed)
    {
        var walk = new TemperatureModel.RandomWalk(seed);
        var previous = walk.Next();
        for (var i = 0; i < 10_000; i++)
        {
            var next = walk.Next();
            Assert.InRange(next, TemperatureModel.RandomWalk.Low, TemperatureModel.RandomWalk.High);
            Assert.InRange(Math.Abs(next - previous), 0, 0.51);
            previous = next;
        }
    }

    [Fact]
    public void A_random_walk_moves()
    {
        var walk = new TemperatureModel.RandomWalk(7);

        Assert.True(Enumerable.Range(0, 100).Select(_ => walk.Next()).Distinct().Count() > 10);
    }

    [Fact]
    public void Steady_sensors_of_any_fleet_size_stay_within_a_hundred_tenths_of_the_steady_temperature() =>
        Assert.Equal([30.0, 39.9, 30.0, 39.0, 35.6], new[] { 0, 99, 100, 9_790, 123_456 }.Select(i => TemperatureModel.For(i, 30).Next()));

    [Fact]
    public void Steady_sensors_read_the_steady_temperature_plus_a_tenth_per_index() =>
        Assert.Equal([30.0, 30.1, 31.2], new[] { 0, 1, 12 }.Select(i => TemperatureModel.For(i, 30).Next()));
}
