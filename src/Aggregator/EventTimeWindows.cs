using ActorDemo.Readings;
using Akka.Streams;
using Akka.Streams.Stage;

namespace ActorDemo.Aggregator;

/// <summary>
/// Folds the groups that <c>GroupedWithin</c> cuts into windows aligned to the clock by each
/// reading's own timestamp, so a backlog lands in the windows it was measured in. Several windows
/// may be open at once; every one that ends at or before the cluster's watermark closes, in order.
/// A reading for a window already closed here is late: it is counted in that window all the same,
/// as a late reading, and the window's closed share goes out again with it. After every group the
/// share of each window it changed goes out, so its readings can be settled at once.
/// </summary>
/// <param name="watermark">The cluster's watermark as this node last heard it; none before the first.</param>
/// <param name="checkInterval">How often the watermark is looked at.</param>
/// <param name="clock">When a share was cut.</param>
public sealed class EventTimeWindows(TimeSpan length, Func<DateTimeOffset?> watermark, TimeSpan checkInterval, Func<DateTimeOffset> clock)
    : WindowStage("event-time-windows")
{
    /// <summary>Closed windows whose count is kept for late readings; an older one starts again from what its late readings add.</summary>
    public const int ClosedKept = 1000;

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : WindowStageLogic
    {
        private const string WatermarkTimer = "watermark";

        private readonly EventTimeWindows _stage;
        private readonly RecentReadings _recent = new();
        private readonly SortedDictionary<long, WindowTally> _open = [];
        private readonly SortedDictionary<long, WindowTally> _closed = [];
        private DateTimeOffset _closedBefore = DateTimeOffset.MinValue;

        public Logic(EventTimeWindows stage)
            : base(stage.Shape)
        {
            _stage = stage;
        }

        public override void PreStart()
        {
            ScheduleRepeatedly(WatermarkTimer, _stage._checkInterval);
            PullReadings();
        }

        protected override void OnTimer(object timerKey)
        {
            CloseUpTo(_stage._watermark());
            PushShares();
        }

        protected override void OnReadings(IEnumerable<ArrivedReading> group)
        {
            var changed = new List<WindowTally>();
            foreach (var arrived in group)
            {
                var interval = WindowInterval.Containing(arrived.Reading.Timestamp, _stage._length);
                var late = interval.End <= _closedBefore;
                var windows = late ? _closed : _open;
                if (!windows.TryGetValue(interval.Index, out var tally))
                {
                    windows[interval.Index] = tally = new WindowTally(interval);
                }

                if (!tally.Changed)
                {
                    changed.Add(tally);
                }

                tally.Add(arrived, _recent.IsNew(arrived.Reading), late);
            }

            var now = _stage._clock();
            foreach (var tally in changed.OrderBy(t => t.Interval.Index))
            {
                // A late reading's window is closed already: its share says so again.
                Enqueue(tally.Share(closed: _closed.ContainsKey(tally.Interval.Index), now));
            }

            ForgetOldClosed();
            CloseUpTo(_stage._watermark());
        }

        protected override void CloseAll() => CloseUpTo(DateTimeOffset.MaxValue);

        private void CloseUpTo(DateTimeOffset? watermark)
        {
            if (watermark is not { } closedBefore || closedBefore <= _closedBefore)
            {
                return;
            }

            _closedBefore = closedBefore;
            var now = _stage._clock();
            while (_open.Count > 0 && _open.First() is var (index, tally) && tally.Interval.End <= closedBefore)
            {
                _open.Remove(index);
                Enqueue(tally.Share(closed: true, now));
                _closed[index] = tally;
            }

            ForgetOldClosed();
        }

        private void ForgetOldClosed()
        {
            while (_closed.Count > ClosedKept)
            {
                _closed.Remove(_closed.First().Key);
            }
        }
    }

    private readonly TimeSpan _length = length;
    private readonly Func<DateTimeOffset?> _watermark = watermark;
    private readonly TimeSpan _checkInterval = checkInterval;
    private readonly Func<DateTimeOffset> _clock = clock;
}
