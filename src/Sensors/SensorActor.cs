using ActorDemo.Readings;
using Akka.Actor;

namespace ActorDemo.Sensors;

/// <summary>
/// One simulated device: every interval it measures and publishes a reading with the next sequence
/// number. It never waits on the network: it publishes into the node's reading buffer.
/// </summary>
/// <remarks>
/// A node hosts up to 100k of these, so it is an <see cref="UntypedActor"/> on the plain scheduler:
/// a <see cref="ReceiveActor"/>'s handler tables and a timer scheduler's dictionary are built per instance.
/// </remarks>
public sealed class SensorActor(SensorSettings settings, Action<TemperatureReading> publish) : UntypedActor
{
    private ICancelable? _ticks;
    private long _seq;

    /// <param name="publish">Takes each reading: the node's <see cref="ReadingBuffer.Offer"/>, straight from
    /// this actor's thread (a message to another actor per reading cost more than the buffer itself).</param>
    public static Props Props(SensorSettings settings, Action<TemperatureReading> publish) =>
        Akka.Actor.Props.Create(() => new SensorActor(settings, publish));

    protected override void PreStart() =>
        _ticks = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(settings.FirstTick, settings.Interval, Self, Tick.Instance, ActorRefs.NoSender);

    protected override void PostStop() => _ticks?.Cancel();

    protected override void OnReceive(object message)
    {
        if (message is Tick)
        {
            _seq++;
            publish(new TemperatureReading(settings.DeviceId, settings.Model.Next(), DateTimeOffset.UtcNow, _seq));
        }
        else
        {
            Unhandled(message);
        }
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}

/// <param name="FirstTick">Delay of the first reading, so that a fleet started at once does not publish in bursts.</param>
public sealed record SensorSettings(string DeviceId, TimeSpan Interval, TimeSpan FirstTick, TemperatureModel Model);
