using ActorDemo.Readings;
using Akka.Actor;

namespace ActorDemo.Sensors;

/// <summary>
/// One simulated device: each time its fleet tells it to measure, it publishes a reading with the
/// next sequence number. It never waits on the network: it publishes into the node's reading buffer.
/// </summary>
/// <remarks>
/// A node hosts up to 100k of these, so it is an <see cref="UntypedActor"/> with no timer of its own:
/// a <see cref="ReceiveActor"/>'s handler tables are built per instance, and 100k repeating timers
/// cost the scheduler more than one fleet beat telling the due sensors (docs/benchmarks.md).
/// </remarks>
public sealed class SensorActor(SensorSettings settings, Action<TemperatureReading> publish) : UntypedActor
{
    private long _seq;

    /// <param name="publish">Takes each reading: the node's <see cref="ReadingBuffer.Offer"/>, straight from
    /// this actor's thread (a message to another actor per reading cost more than the buffer itself).</param>
    public static Props Props(SensorSettings settings, Action<TemperatureReading> publish) =>
        Akka.Actor.Props.Create(() => new SensorActor(settings, publish));

    protected override void OnReceive(object message)
    {
        if (message is Measure)
        {
            _seq++;
            publish(new TemperatureReading(settings.DeviceId, settings.Model.Next(), DateTimeOffset.UtcNow, _seq));
        }
        else
        {
            Unhandled(message);
        }
    }

    /// <summary>Take one reading now; the fleet sends it once per interval.</summary>
    public sealed record Measure
    {
        public static readonly Measure Instance = new();
    }
}

public sealed record SensorSettings(string DeviceId, TemperatureModel Model);
