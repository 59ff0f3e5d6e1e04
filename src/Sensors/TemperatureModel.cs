namespace ActorDemo.Sensors;

/// <summary>What a simulated sensor measures, one value per tick.</summary>
public abstract class TemperatureModel
{
    public abstract double Next();

    /// <summary>The model of sensor <paramref name="index"/>: steady when a steady temperature is set, else a random walk.</summary>
    /// <remarks>Steady values repeat every <see cref="SensorOptions.SteadySteps"/> devices, so a fleet of any size reads valid temperatures.</remarks>
    public static TemperatureModel For(int index, double? steadyTemperature) =>
        steadyTemperature is { } steady
            ? new Steady(Math.Round(steady + (index % SensorOptions.SteadySteps / 10.0), 1))
            : new RandomWalk(Random.Shared.Next());

    /// <summary>Always the same value: the window maxima of a steady fleet are known in advance.</summary>
    public sealed class Steady(double temperature) : TemperatureModel
    {
        public override double Next() => temperature;
    }

    /// <summary>A walk in steps of at most 0.25 °C that stays between 20 and 25 °C, as room sensors do.</summary>
    /// <remarks>Its generator is one 64-bit xorshift state, not a <see cref="Random"/> (a seeded one holds 56 ints): 100k sensors share a node.</remarks>
    public sealed class RandomWalk : TemperatureModel
    {
        public const double Low = 20;

        public const double High = 25;

        private const double MaxStep = 0.25;

        private ulong _state;
        private double _current;

        public RandomWalk(int seed)
        {
            _state = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) | 1;
            _current = Low + (NextUniform() * (High - Low));
        }

        public override double Next()
        {
            var next = _current + ((NextUniform() * 2) - 1) * MaxStep;
            // Reflect at the bounds so the walk neither sticks to nor leaves them.
            _current = next > High ? (2 * High) - next : next < Low ? (2 * Low) - next : next;
            return Math.Round(_current, 2);
        }

        // xorshift64*: uniform in [0, 1) from the top 53 bits.
        private double NextUniform()
        {
            _state ^= _state >> 12;
            _state ^= _state << 25;
            _state ^= _state >> 27;
            return ((_state * 2685821657736338717UL) >> 11) * (1.0 / (1UL << 53));
        }
    }
}
