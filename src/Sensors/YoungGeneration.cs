namespace ActorDemo.Sensors;

/// <summary>
/// The runtime's young generation against the rate a fleet offers. .NET gives it at most 6 MiB on a
/// small machine; a reading lives from its measurement to its settlement, so at high rates most
/// readings are still in flight at a collection and get promoted, and the collections of the older
/// generations then cost the node its throughput (docs/benchmarks.md: 100,000 readings/s on 2 cores
/// dropped 21-35% on the default, none with 64 MiB).
/// </summary>
public static class YoungGeneration
{
    /// <summary>What the node images set (<c>DOTNET_GCgen0size=0x4000000</c>, Dockerfile).</summary>
    public const long Recommended = 64L * 1024 * 1024;

    /// <summary>
    /// From this rate a smaller young generation is worth a warning: half the rate at which the
    /// default was measured to drop readings (bare executables carried 60,000 readings/s without drops).
    /// </summary>
    public const double HeavyRate = 50_000;

    /// <summary>The most the young generation grows to in this process, as the runtime reports it; 0 when it does not.</summary>
    public static long MaxBudget { get; } =
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var budget) ? Convert.ToInt64(budget) : 0;

    /// <summary>What to do when <paramref name="sensors"/> at <paramref name="interval"/> are too many for <paramref name="budget"/>; null when they are not.</summary>
    public static string? Advice(int sensors, TimeSpan interval, long budget)
    {
        var rate = sensors / interval.TotalSeconds;
        if (rate < HeavyRate || budget <= 0 || budget >= Recommended)
        {
            return null;
        }

        return $"{sensors:N0} sensors at {interval.TotalMilliseconds:0} ms offer {rate:N0} readings/s, but the runtime's young generation grows to {budget / 1024.0 / 1024.0:0.#} MiB at most: " +
            "readings in flight at a collection get promoted, and collecting them later costs throughput (100,000 readings/s on 2 cores dropped a fifth to a third of them). " +
            "Start the node with DOTNET_GCgen0size=0x4000000 (64 MiB) in its environment, as the node images do.";
    }
}
