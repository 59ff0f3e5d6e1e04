using ActorDemo.Shared.Amqp;
using ActorDemo.Shared.Readings;
using Akka.Streams;
using Akka.Streams.Stage;

namespace ActorDemo.Aggregator;

/// <summary>A reading as it reached this node, with the delivery to settle once a share that counts it is acknowledged.</summary>
/// <param name="Delivery">None where the reading did not come over AMQP (specs).</param>
public sealed record ArrivedReading(TemperatureReading Reading, DateTimeOffset ArrivedAt, ReceivedMessage? Delivery = null);

/// <summary>
/// This node's share of one aligned window so far: cumulative (everything counted since the window
/// opened), with the deliveries counted since the previous share of the same window, which the
/// reporter settles once the singleton acknowledged a share that covers them.
/// </summary>
/// <param name="Highest">None when no reading arrived in the interval.</param>
/// <param name="Duplicates">Readings that arrived again and were not counted twice.</param>
/// <param name="NewDeliveries">The deliveries this share adds to the window's previous one.</param>
/// <param name="NewReadings">The readings this share counts beyond the window's previous one, in the order counted.</param>
/// <param name="Closed">The last share of the window: no reading will be added to it.</param>
/// <param name="At">When this node cut the share, by its clock; for a closed share, where the window's way to the singleton starts.</param>
public sealed record WindowShare(
    WindowInterval Interval, ReadingMaximum? Highest, int Count, int Duplicates, IReadOnlyList<ReceivedMessage> NewDeliveries, IReadOnlyList<TemperatureReading> NewReadings, bool Closed, DateTimeOffset At);

/// <summary>
/// Folds the groups that <c>GroupedWithin</c> cuts into windows aligned to the clock, by arrival
/// time: a group spanning a boundary is split there. After every group the open window's share so
/// far goes out (so its readings can be settled long before the window closes). Window k closes when
/// a reading of a later window arrives, or once the clock has passed its end by
/// <paramref name="closeDelay"/> (how long the grouping may hold a reading), so that a node with no
/// readings still reports every interval.
/// </summary>
public sealed class AlignedWindows(TimeSpan length, TimeSpan closeDelay, Func<DateTimeOffset> clock)
    : GraphStage<FlowShape<IEnumerable<ArrivedReading>, WindowShare>>
{
    private readonly Inlet<IEnumerable<ArrivedReading>> _in = new("aligned-windows.in");
    private readonly Outlet<WindowShare> _out = new("aligned-windows.out");

    public override FlowShape<IEnumerable<ArrivedReading>, WindowShare> Shape => new(_in, _out);

    protected override Attributes InitialAttributes => Attributes.CreateName("aligned-windows");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string CloseTimer = "close";

        private readonly AlignedWindows _stage;
        private readonly Queue<WindowShare> _shares = new();
        private readonly RecentReadings _recent = new();
        private readonly List<ReceivedMessage> _deliveries = [];
        private readonly List<TemperatureReading> _readings = [];
        private WindowInterval _open;
        private ReadingMaximum? _highest;
        private int _count;
        private int _duplicates;

        // Whether the open window changed since its last share went out.
        private bool _changed;

        public Logic(AlignedWindows stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in, onPush: OnGroup, onUpstreamFinish: OnFinish);
            SetHandler(stage._out, onPull: PushShares);
        }

        public override void PreStart()
        {
            _open = WindowInterval.Containing(_stage._clock(), _stage._length);
            ScheduleClose();
            Pull(_stage._in);
        }

        protected override void OnTimer(object timerKey)
        {
            // Every window whose end the clock passed (by the grouping's delay) is complete, readings or not.
            while (_open.End + _stage._closeDelay <= _stage._clock())
            {
                Close();
            }

            ScheduleClose();
            PushShares();
        }

        private void OnGroup()
        {
            foreach (var arrived in Grab(_stage._in))
            {
                // A reading held back longer than the close delay belongs to a window already closed: the open one counts it.
                while (arrived.ArrivedAt >= _open.End)
                {
                    Close();
                }

                if (arrived.Delivery is { } delivery)
                {
                    _deliveries.Add(delivery);
                }

                _changed = true;
                if (!_recent.IsNew(arrived.Reading))
                {
                    _duplicates++;
                    continue;
                }

                _count++;
                _readings.Add(arrived.Reading);
                _highest = ReadingMaximum.Higher(_highest, new ReadingMaximum(arrived.Reading.Temperature, arrived.Reading.DeviceId));
            }

            if (_changed)
            {
                Share(closed: false);
            }

            PushShares();
            Pull(_stage._in);
        }

        private void OnFinish()
        {
            // Stopping: the open window is reported as it is, so that its readings can still be settled.
            Close();
            PushShares();
        }

        private void Close()
        {
            Share(closed: true);
            _open = _open.Next;
            _highest = null;
            _count = 0;
            _duplicates = 0;
        }

        private void Share(bool closed)
        {
            _shares.Enqueue(new WindowShare(_open, _highest, _count, _duplicates, [.. _deliveries], [.. _readings], closed, _stage._clock()));
            _deliveries.Clear();
            _readings.Clear();
            _changed = false;
        }

        private void PushShares()
        {
            if (_shares.Count > 0 && IsAvailable(_stage._out))
            {
                Push(_stage._out, _shares.Dequeue());
            }

            if (_shares.Count == 0 && IsClosed(_stage._in))
            {
                CompleteStage();
            }
        }

        private void ScheduleClose() =>
            ScheduleOnce(CloseTimer, Max(TimeSpan.Zero, _open.End + _stage._closeDelay - _stage._clock()));

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }

    private readonly TimeSpan _length = length;
    private readonly TimeSpan _closeDelay = closeDelay;
    private readonly Func<DateTimeOffset> _clock = clock;
}
