using ActorDemo.Amqp;
using ActorDemo.Readings;
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
/// <param name="Late">Of <paramref name="Count"/>, the readings that came after the window had closed on this node (event time only).</param>
/// <param name="Newest">The newest timestamp among the readings counted; none when it counted none.</param>
public sealed record WindowShare(
    WindowInterval Interval,
    ReadingMaximum? Highest,
    int Count,
    int Duplicates,
    IReadOnlyList<ReceivedMessage> NewDeliveries,
    IReadOnlyList<TemperatureReading> NewReadings,
    bool Closed,
    DateTimeOffset At,
    int Late = 0,
    DateTimeOffset? Newest = null);

/// <summary>
/// Folds the groups that <c>GroupedWithin</c> cuts into windows aligned to the clock, by arrival
/// time (<see cref="EventTimeWindows"/> cuts them by the readings' timestamps): a group spanning a
/// boundary is split there. After every group the open window's share so far goes out (so its
/// readings can be settled long before the window closes). Window k closes when
/// a reading of a later window arrives, or once the clock has passed its end by
/// <paramref name="closeDelay"/> (how long the grouping may hold a reading), so that a node with no
/// readings still reports every interval.
/// </summary>
public sealed class AlignedWindows(TimeSpan length, TimeSpan closeDelay, Func<DateTimeOffset> clock) : WindowStage("aligned-windows")
{
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : WindowStageLogic
    {
        private const string CloseTimer = "close";

        private readonly AlignedWindows _stage;
        private readonly RecentReadings _recent = new();
        private WindowTally _open = null!;

        public Logic(AlignedWindows stage)
            : base(stage.Shape)
        {
            _stage = stage;
        }

        public override void PreStart()
        {
            _open = new WindowTally(WindowInterval.Containing(_stage._clock(), _stage._length));
            ScheduleClose();
            PullReadings();
        }

        protected override void OnTimer(object timerKey)
        {
            // Every window whose end the clock passed (by the grouping's delay) is complete, readings or not.
            while (_open.Interval.End + _stage._closeDelay <= _stage._clock())
            {
                Close();
            }

            ScheduleClose();
            PushShares();
        }

        protected override void OnReadings(IEnumerable<ArrivedReading> group)
        {
            foreach (var arrived in group)
            {
                // A reading held back longer than the close delay belongs to a window already closed: the open one counts it.
                while (arrived.ArrivedAt >= _open.Interval.End)
                {
                    Close();
                }

                _open.Add(arrived, _recent.IsNew(arrived.Reading), late: false);
            }

            if (_open.Changed)
            {
                Enqueue(_open.Share(closed: false, _stage._clock()));
            }
        }

        protected override void CloseAll() => Close();

        private void Close()
        {
            Enqueue(_open.Share(closed: true, _stage._clock()));
            _open = new WindowTally(_open.Interval.Next);
        }

        private void ScheduleClose() =>
            ScheduleOnce(CloseTimer, Max(TimeSpan.Zero, _open.Interval.End + _stage._closeDelay - _stage._clock()));

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }

    private readonly TimeSpan _length = length;
    private readonly TimeSpan _closeDelay = closeDelay;
    private readonly Func<DateTimeOffset> _clock = clock;
}
