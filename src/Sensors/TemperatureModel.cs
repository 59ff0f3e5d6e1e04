namespace ActorDemo.Sensors;

/// <summary>What a simulated sensor measures, one value per tick.</summary>
public abstract class TemperatureModel
{
    public abstract double Next();

    /// <summary>The model of sensor <paramref name="index"/>: steady when a steady temperature is set, else a random walk.</summary>
    public static TemperatureModel For(int index, double? steadyTemperature) =>
        steadyTemperature is { } steady ? new Steady(Math.Round(steady + (index / 10.0), 1)) : new RandomWalk(Random.Shared.Next());

    /// <summary>Always the same value: the window maxima of a steady fleet are known in advance.</summary>
    public sealed class Steady(double temperature) : TemperatureModel
    {
        public override double Next() => temperature;
    }

    /// <summary>A walk in steps of at most 0.25 °C that stays between 20 and 25 °C, as room sensors do.</summary>
    public sealed class RandomWalk : TemperatureModel
    {
        public const double Low = 20;

        public const double High = 25;

        private const double MaxStep = 0.25;

        private readonly Random _random;
        private double _current;

        public RandomWalk(int seed)
        {
            _random = new Random(seed);
            _current = Low + (_random.NextDouble() * (High - Low));
        }

        public override double Next()
        {
            var next = _current + ((_random.NextDouble() * 2) - 1) * MaxStep;
            // Reflect at the bounds so the walk neither sticks to nor leaves them.
            _current = next > High ? (2 * High) - next : next < Low ? (2 * Low) - next : next;
            return Math.Round(_current, 2);
        }
    }
}
