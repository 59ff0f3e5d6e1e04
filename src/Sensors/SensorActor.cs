using ActorDemo.Shared.Readings;
using Akka.Actor;

namespace ActorDemo.Sensors;

/// <summary>
/// One simulated device: every interval it measures and tells the publisher a reading with the
/// next sequence number. It never waits on the network: the publisher buffers.
/// </summary>
public sealed class SensorActor : ReceiveActor, IWithTimers
{
    private readonly SensorSettings _settings;
    private readonly IActorRef _publisher;
    private long _seq;

    public SensorActor(SensorSettings settings, IActorRef publisher)
    {
        _settings = settings;
        _publisher = publisher;
        Receive<Tick>(_ => Publish());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SensorSettings settings, IActorRef publisher) =>
        Akka.Actor.Props.Create(() => new SensorActor(settings, publisher));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, _settings.FirstTick, _settings.Interval);

    private void Publish()
    {
        _seq++;
        _publisher.Tell(new TemperatureReading(_settings.DeviceId, _settings.Model.Next(), DateTimeOffset.UtcNow, _seq));
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}

/// <param name="FirstTick">Delay of the first reading, so that a fleet started at once does not publish in bursts.</param>
public sealed record SensorSettings(string DeviceId, TimeSpan Interval, TimeSpan FirstTick, TemperatureModel Model);
