using ActorDemo.Readings;
using Akka.Actor;
using Akka.Event;

namespace ActorDemo.Sensors;

/// <summary>
/// The sensors of one node: creates them, tells each to measure once per interval, and adds or
/// stops sensors when resized. A large fleet grows in batches, each a message to itself, so that
/// while it grows the fleet still answers how far it got and takes a new size (a scale back under
/// load) at once; shrinking is immediate.
/// </summary>
/// <remarks>
/// One timer keeps the fleet's time: the interval is cut into beats (<see cref="FleetSettings.Beats"/>),
/// each sensor measures on one beat of its own, and the sensors are spread evenly over the beats so
/// that a fleet started at once does not publish in bursts.
/// </remarks>
public sealed class SensorFleetActor : ReceiveActor, IWithTimers
{
    /// <summary>Sensors started per step of growing: a few milliseconds of the fleet's time.</summary>
    public const int GrowthStep = 1_000;

    private readonly FleetSettings _settings;
    private readonly Action<TemperatureReading> _publish;
    private readonly List<IActorRef> _sensors = [];

    /// <summary>The sensors that measure on each beat, in the order they were added.</summary>
    private readonly List<IActorRef>[] _onBeat;
    private int _nextBeat;
    private int _target;
    private bool _growing;
    private bool _warnedOfYoungGeneration;

    public SensorFleetActor(FleetSettings settings, int initialCount, Action<TemperatureReading> publish)
    {
        _settings = settings;
        _publish = publish;
        _onBeat = [.. Enumerable.Range(0, settings.Beats).Select(_ => new List<IActorRef>())];
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
        Receive<Beat>(_ =>
        {
            foreach (var sensor in _onBeat[_nextBeat])
            {
                sensor.Tell(SensorActor.Measure.Instance, ActorRefs.NoSender);
            }

            _nextBeat = (_nextBeat + 1) % _onBeat.Length;
        });
        Receive<Grow>(_ =>
        {
            _growing = false;
            GrowOneStep();
        });
        Receive<SensorFleetProtocol.GetFleet>(_ =>
            Sender.Tell(new SensorFleetProtocol.Fleet(_sensors.Count, _sensors.FirstOrDefault()?.Path.Name, _sensors.LastOrDefault()?.Path.Name, _target)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="publish">Takes the sensors' readings (see <see cref="SensorActor.Props"/>).</param>
    public static Props Props(FleetSettings settings, int initialCount, Action<TemperatureReading> publish) =>
        Akka.Actor.Props.Create(() => new SensorFleetActor(settings, initialCount, publish));

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Beat), Beat.Instance, _settings.Interval / _settings.Beats);

    private void ResizeTo(int count)
    {
        _target = count;
        WarnOfYoungGeneration();
        while (_sensors.Count > count)
        {
            var index = _sensors.Count - 1;
            // Sensors join their beat in the order they were added, so the last is last there too.
            var onBeat = _onBeat[_settings.BeatOf(index)];
            onBeat.RemoveAt(onBeat.Count - 1);
            Context.Stop(_sensors[index]);
            _sensors.RemoveAt(index);
        }

        GrowOneStep();
    }

    /// <summary>Once each time the fleet grows past what the runtime's young generation suits.</summary>
    private void WarnOfYoungGeneration()
    {
        var advice = YoungGeneration.Advice(_target, _settings.Interval, _settings.YoungGenerationBudget);
        if (advice is not null && !_warnedOfYoungGeneration)
        {
            Context.GetLogger().Warning(advice);
        }

        _warnedOfYoungGeneration = advice is not null;
    }

    /// <summary>Starts up to <see cref="GrowthStep"/> sensors towards the target, and asks itself for the next step.</summary>
    private void GrowOneStep()
    {
        var end = Math.Min(_target, _sensors.Count + GrowthStep);
        while (_sensors.Count < end)
        {
            var index = _sensors.Count;
            var deviceId = _settings.DeviceId(index);
            var sensor = Context.ActorOf(SensorActor.Props(new SensorSettings(deviceId, _settings.Model(index)), _publish), deviceId);
            _sensors.Add(sensor);
            _onBeat[_settings.BeatOf(index)].Add(sensor);
        }

        if (_sensors.Count < _target && !_growing)
        {
            _growing = true;
            Self.Tell(Grow.Instance);
        }
    }

    private sealed class Beat
    {
        public static readonly Beat Instance = new();
    }

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

    /// <summary>The most the runtime's young generation grows to, which decides whether a large fleet gets a warning.</summary>
    public long YoungGenerationBudget { get; init; } = YoungGeneration.MaxBudget;

    /// <summary>The shortest beat: Akka's scheduler fires no finer than its 10 ms tick.</summary>
    private static readonly TimeSpan ShortestBeat = TimeSpan.FromMilliseconds(10);

    /// <summary>The most beats an interval is cut into: a 1 s interval then beats every 10 ms.</summary>
    private const int MostBeats = 100;

    private const double GoldenRatio = 0.6180339887498949;

    public TemperatureModel Model(int index) => TemperatureModel.For(index, SteadyTemperature);

    /// <summary>How many beats one interval has: each sensor measures on one of them.</summary>
    public int Beats => (int)Math.Clamp(Interval / ShortestBeat, 1, MostBeats);

    /// <summary>
    /// The beat a sensor measures on. Index times the golden ratio, modulo 1, spreads any number of
    /// consecutive sensors evenly over the interval, so a fleet is even at every size it passes while it grows.
    /// </summary>
    public int BeatOf(int index) => (int)(index * GoldenRatio % 1.0 * Beats);
}
