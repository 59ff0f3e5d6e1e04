using System.Globalization;
using ActorDemo.Shared.Readings;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>
/// The cluster-wide view of the windows: a singleton on the aggregator role that every aggregator
/// node sends its window maxima to. It keeps each node's latest window, a bounded history, and
/// logs one line per window.
/// </summary>
public sealed class AggregatorActor : ReceiveActor
{
    private readonly int _historyLimit;
    private readonly TimeSpan _windowLength;
    private readonly Dictionary<Address, WindowMaximum> _latest = [];
    private readonly Queue<NodeWindow> _history = new();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _windows;

    public AggregatorActor(int historyLimit, TimeSpan windowLength)
    {
        _historyLimit = historyLimit;
        _windowLength = windowLength;

        Receive<WindowClosed>(Record);
        Receive<ClusterEvent.MemberRemoved>(removed => _latest.Remove(removed.Member.Address));
        Receive<GetSummary>(_ => Sender.Tell(Summarize()));
        Receive<GetHistory>(get => Sender.Tell(new History(_history.TakeLast(Math.Max(0, get.Count)).ToList())));
        Receive<SubscribeWindows>(subscribe =>
        {
            _subscribers.Add(subscribe.Subscriber);
            Context.Watch(subscribe.Subscriber);
        });
        Receive<Terminated>(terminated => _subscribers.Remove(terminated.ActorRef));
    }

    public static Props Props(int historyLimit, TimeSpan windowLength) =>
        Akka.Actor.Props.Create(() => new AggregatorActor(historyLimit, windowLength));

    /// <summary>The log line of a window: <c>07:40:05-07:40:10  max 24.0 °C (sensor-n1-3)  50 readings</c>.</summary>
    public static string Describe(WindowMaximum window) => string.Create(
        CultureInfo.InvariantCulture,
        $"{window.WindowStart.ToLocalTime():HH:mm:ss}-{window.WindowEnd.ToLocalTime():HH:mm:ss}  max {window.Max:0.0} °C ({window.DeviceId})  {window.Count} readings");

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void Record(WindowClosed closed)
    {
        _windows++;
        _latest[closed.Node] = closed.Window;
        var recorded = new NodeWindow(closed.Node, closed.Window);
        _history.Enqueue(recorded);
        while (_history.Count > _historyLimit)
        {
            _history.Dequeue();
        }

        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(new WindowRecorded(recorded));
        }

        _log.Info(_latest.Count > 1 ? $"{Describe(closed.Window)}  [{closed.Node.Host}:{closed.Node.Port}]" : Describe(closed.Window));
    }

    private Summary Summarize()
    {
        var latest = _latest.Select(pair => new NodeWindow(pair.Key, pair.Value)).ToList();
        NodeWindow? recent = null;
        if (latest.Count > 0)
        {
            var since = latest.Max(window => window.Window.WindowEnd) - _windowLength;
            recent = _history
                .Where(entry => entry.Window.WindowEnd > since)
                .MaxBy(entry => entry.Window.Max);
        }

        return new Summary(latest, recent, _windows);
    }
}
