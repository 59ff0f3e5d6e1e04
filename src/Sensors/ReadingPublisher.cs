using ActorDemo.Node;
using ActorDemo.Amqp;
using Akka;
using Akka.Actor;
using Akka.Event;

namespace ActorDemo.Sensors;

/// <summary>
/// Answers for the readings stream of a node (built by <see cref="SensorHosting.RunReadings"/>), which
/// reads the buffer the sensors offer their readings to: its counts, its drain on shutdown (the buffer
/// is completed, and readings offered later are counted as dropped). Once a second
/// it judges why readings wait, if they do (<see cref="SendStall"/>); drops are logged once per
/// report interval, with how many and that cause.
/// </summary>
public sealed class ReadingPublisher : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan DefaultDropReportInterval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan JudgeInterval = TimeSpan.FromSeconds(1);

    private readonly AmqpSinkHandle _stream;
    private readonly SendStall _stall;
    private readonly string _address;
    private readonly TimeSpan _dropReportInterval;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ReadingBuffer _buffer;
    private long _droppedReported;
    private long _abandoned;

    public ReadingPublisher(ReadingBuffer buffer, AmqpSinkHandle stream, SendStall stall, string address, TimeSpan dropReportInterval)
    {
        _stream = stream;
        _stall = stall;
        _dropReportInterval = dropReportInterval;
        _buffer = buffer;
        _address = address;
        Publishing();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="buffer">Where the readings wait for the stream; read by the node's metrics too.</param>
    /// <param name="stream">The stream that reads <paramref name="buffer"/>: its completion and its link's counters, reported with the publisher's own.</param>
    /// <param name="stall">Judged here once a second, read by the metrics and the readiness probe too.</param>
    public static Props Props(ReadingBuffer buffer, AmqpSinkHandle stream, SendStall stall, string address, TimeSpan? dropReportInterval = null) =>
        Akka.Actor.Props.Create(() => new ReadingPublisher(buffer, stream, stall, address, dropReportInterval ?? DefaultDropReportInterval));

    private AmqpLinkMetrics Link => _stream.Metrics;

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(nameof(ReportDrops), ReportDrops.Instance, _dropReportInterval);
        Timers.StartPeriodicTimer(nameof(JudgeStall), JudgeStall.Instance, JudgeInterval);
    }

    protected override void PostStop()
    {
        _buffer.Complete();
        var counts = Counts();
        // Adds up: every reading offered was accepted, dropped or rejected (a message the consumer refused).
        _log.Info("Publisher stopped: {0} readings offered, {1} accepted by the router, {2} dropped, {3} rejected", counts.Offered, counts.Accepted, counts.Dropped, counts.Rejected);
    }

    private void Publishing()
    {
        Publishes();
        Receive<ReadingPublisherProtocol.Drain>(_ =>
        {
            _buffer.Complete();
            Become(Draining);
            ReplyWhenDrained();
        });
    }

    private void Draining()
    {
        Publishes();
        Receive<ReadingPublisherProtocol.Drain>(_ => ReplyWhenDrained());
        Receive<ReadingPublisherProtocol.Abandon>(_ =>
        {
            // The node stops without a link: what is buffered or unsettled now will never be sent, so it is dropped, and counted.
            var (buffered, pending, unsettled) = (_buffer.Buffered, Link.Pending, Link.Unsettled);
            _abandoned = buffered + pending + unsettled;
            _log.Warning(
                "Stopping without a working link to '{0}' ({1}): {2} buffered, {3} unsent and {4} unsettled readings are dropped",
                _address,
                Link.State,
                buffered,
                pending,
                unsettled);
            Sender.Tell(new ReadingPublisherProtocol.Abandoned(_abandoned));
        });
    }

    private void Publishes()
    {
        Receive<ReadingPublisherProtocol.GetCounts>(_ => Sender.Tell(Counts()));
        Receive<ReportDrops>(_ => Report());
        Receive<JudgeStall>(_ => _stall.Judge(Link, DateTimeOffset.UtcNow));
    }

    private void ReplyWhenDrained() =>
        _stream.Completion.PipeTo(Sender, success: _ => Done.Instance, failure: e => new Status.Failure(e));

    private ReadingPublisherProtocol.Counts Counts() =>
        new(_buffer.Offered, _buffer.Dropped + _abandoned, _buffer.Buffered, Link.Sent, Link.Accepted, Link.Rejected, Link.Pending, Link.Unsettled, Link.State.ToString(), _stall.Cause.Kebab(), _stall.Explanation);

    private void Report()
    {
        var dropped = _buffer.Dropped;
        if (dropped > _droppedReported)
        {
            _stall.Judge(Link, DateTimeOffset.UtcNow);
            var why = _stall.Cause == StallCause.None ? "the readings came faster than the link took them." : _stall.Explanation;
            _log.Warning(
                "Dropped {0} readings in the last {1:0} s: the buffer of {2} was full; {3}",
                dropped - _droppedReported,
                _dropReportInterval.TotalSeconds,
                _buffer.Capacity,
                why);
            _droppedReported = dropped;
        }
    }

    private sealed class ReportDrops
    {
        public static readonly ReportDrops Instance = new();
    }

    private sealed class JudgeStall
    {
        public static readonly JudgeStall Instance = new();
    }
}
