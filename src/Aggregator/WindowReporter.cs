using ActorDemo.Shared.Amqp;
using Akka.Actor;
using Akka.Event;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>
/// This node's go-between to the aggregator singleton. It sends the partial of every window the
/// readings stream closes, sends it again until the singleton says it was recorded (a singleton
/// that moved to another node gets it too), and only then accepts the window's readings at the
/// router. A node that dies before that has its readings redelivered to another node.
/// </summary>
public sealed class WindowReporter : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan DefaultResendInterval = TimeSpan.FromSeconds(1);

    private readonly IActorRef _aggregator;
    private readonly Address _node;
    private readonly SortedDictionary<long, (PartialWindow Partial, IReadOnlyList<ReceivedMessage> Deliveries)> _unconfirmed = [];
    private readonly List<IActorRef> _drainWaiters = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public WindowReporter(IActorRef aggregator, Address node, TimeSpan resendInterval)
    {
        _aggregator = aggregator;
        _node = node;

        Receive<ClosedWindow>(OnClosed);
        Receive<PartialRecorded>(OnRecorded);
        Receive<Resend>(_ =>
        {
            foreach (var (partial, _) in _unconfirmed.Values)
            {
                _aggregator.Tell(partial);
            }
        });
        Receive<WindowReporterProtocol.Drain>(_ =>
        {
            _drainWaiters.Add(Sender);
            ReplyIfDrained();
        });
        Timers.StartPeriodicTimer(nameof(Resend), Resend.Instance, resendInterval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef aggregator, Address node, TimeSpan? resendInterval = null) =>
        Akka.Actor.Props.Create(() => new WindowReporter(aggregator, node, resendInterval ?? DefaultResendInterval));

    private void OnClosed(ClosedWindow closed)
    {
        var partial = new PartialWindow(
            _node, closed.Interval.Index, closed.Interval.Start, closed.Interval.End, closed.Highest?.Temperature, closed.Highest?.DeviceId, closed.Count, closed.Duplicates, closed.ClosedAt);
        if (closed.Duplicates > 0)
        {
            _log.Info("{0} readings of {1:HH:mm:ss}-{2:HH:mm:ss} arrived again and were counted once", closed.Duplicates, partial.WindowStart.ToLocalTime(), partial.WindowEnd.ToLocalTime());
        }

        _unconfirmed[partial.Interval] = (partial, closed.Deliveries);
        _aggregator.Tell(partial);
    }

    private void OnRecorded(PartialRecorded recorded)
    {
        if (!_unconfirmed.Remove(recorded.Interval, out var window))
        {
            return;
        }

        foreach (var delivery in window.Deliveries)
        {
            delivery.Accept();
        }

        ReplyIfDrained();
    }

    private void ReplyIfDrained()
    {
        if (_unconfirmed.Count > 0)
        {
            return;
        }

        foreach (var waiter in _drainWaiters)
        {
            waiter.Tell(WindowReporterProtocol.Drained.Instance);
        }

        _drainWaiters.Clear();
    }

    private sealed class Resend
    {
        public static readonly Resend Instance = new();
    }
}
