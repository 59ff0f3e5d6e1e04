using ActorDemo.Readings;
using Akka.Actor;

namespace ActorDemo.Sensors;

/// <summary>
/// The sensors of one node: creates them, and adds or stops sensors when resized. A large fleet
/// grows in batches, each a message to itself, so that while it grows the fleet still answers how
/// far it got and takes a new size (a scale back under load) at once; shrinking is immediate.
/// </summary>
public sealed class SensorFleetActor : ReceiveActor
{
    /// <summary>Sensors started per step of growing: a few milliseconds of the fleet's time.</summary>
    public const int GrowthStep = 1_000;

    private readonly FleetSettings _settings;
    private readonly Action<TemperatureReading> _publish;
    private readonly List<IActorRef> _sensors = [];
    private int _target;
    private bool _growing;

    public SensorFleetActor(FleetSettings settings, int initialCount, Action<TemperatureReading> publish)
    {
        _settings = settings;
        _publish = publish;
        ResizeTo(initialCount);

        Receive<SensorFleetProtocol.Resize>(resize =>
        {
            if (resize.Count < 0)
            {
                Sender.Tell(new Status.Failure(new ArgumentOutOfRangeException(nameof(resize.Count), resize.Count, "A fleet cannot have fewer than 0 sensors.")));
                return;
            }

            ResizeTo(resize.Count);
            Sender.Tell(new SensorFleetProtocol.Resized(_sensors.Count, _target));
        });
        Receive<Grow>(_ =>
        {
            _growing = false;
            GrowOneStep();
        });
        Receive<SensorFleetProtocol.GetFleet>(_ =>
            Sender.Tell(new SensorFleetProtocol.Fleet(_sensors.Count, _sensors.FirstOrDefault()?.Path.Name, _sensors.LastOrDefault()?.Path.Name, _target)));
    }

    /// <param name="publish">Takes the sensors' readings (see <see cref="SensorActor.Props"/>).</param>
    public static Props Props(FleetSettings settings, int initialCount, Action<TemperatureReading> publish) =>
        Akka.Actor.Props.Create(() => new SensorFleetActor(settings, initialCount, publish));

    private void ResizeTo(int count)
    {
        _target = count;
        while (_sensors.Count > count)
        {
            var last = _sensors[^1];
            _sensors.RemoveAt(_sensors.Count - 1);
            Context.Stop(last);
        }

        GrowOneStep();
    }

    /// <summary>Starts up to <see cref="GrowthStep"/> sensors towards the target, and asks itself for the next step.</summary>
    private void GrowOneStep()
    {
        var end = Math.Min(_target, _sensors.Count + GrowthStep);
        while (_sensors.Count < end)
        {
            var index = _sensors.Count;
            var deviceId = _settings.DeviceId(index);
            var sensor = new SensorSettings(deviceId, _settings.Interval, FirstTick(), _settings.Model(index));
            _sensors.Add(Context.ActorOf(SensorActor.Props(sensor, _publish), deviceId));
        }

        if (_sensors.Count < _target && !_growing)
        {
            _growing = true;
            Self.Tell(Grow.Instance);
        }
    }

    // Spread the first readings over one interval: sensors created together then publish evenly.
    private TimeSpan FirstTick() => _settings.Interval * Random.Shared.NextDouble();

    private sealed class Grow
    {
        public static readonly Grow Instance = new();
    }
}

/// <summary>What every sensor of a fleet shares.</summary>
/// <param name="Node">The node part of device ids: <c>prefix-node-0007</c>.</param>
public sealed record FleetSettings(string Prefix, string Node, TimeSpan Interval, double? SteadyTemperature)
{
    public string DeviceId(int index) => $"{Prefix}-{Node}-{index:D4}";

    public TemperatureModel Model(int index) => TemperatureModel.For(index, SteadyTemperature);
}
