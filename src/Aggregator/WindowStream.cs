using ActorDemo.Shared.Amqp;
using ActorDemo.Shared.Readings;
using Akka;
using Akka.Streams.Dsl;

namespace ActorDemo.Aggregator;

/// <summary>The stages between the AMQP source and the aggregator actor.</summary>
public static class WindowStream
{
    /// <summary>
    /// The longest <c>GroupedWithin</c> holds a reading before the window stage sees it: every group
    /// becomes a snapshot the singleton acknowledges, so this bounds how long a reading waits to be
    /// settled, and with it what a link capped at a few hundred deliveries in flight can carry
    /// (Qpid Dispatch's default linkCapacity of 250 at 20 ms: over 10,000 readings a second).
    /// </summary>
    public static TimeSpan GroupingInterval(TimeSpan window) =>
        TimeSpan.FromTicks(Math.Clamp(window.Ticks / 100, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMilliseconds(20).Ticks));

    /// <summary>
    /// Decodes each message; one that is no reading is rejected with its reason and counted, the
    /// stream goes on. A valid reading stays unsettled: it is accepted once the singleton acknowledged
    /// a share that counts it, so that a node that dies first has it redelivered to another.
    /// </summary>
    public static Flow<ReceivedMessage, ArrivedReading, NotUsed> Readings(RejectedReadings rejected, Func<DateTimeOffset> clock, WindowMetrics? metrics = null) =>
        Flow.Create<ReceivedMessage>()
            .Select(message =>
            {
                var arrived = clock();
                return (Message: message, Arrived: arrived, Decoded: ReadingCodec.Decode(message.Message, arrived));
            }).Named("decode-reading")
            .Where(candidate =>
            {
                if (candidate.Decoded.Error is { } error)
                {
                    candidate.Message.Reject(error);
                    rejected.Record(candidate.Decoded.Reason, error);
                    return false;
                }

                return true;
            }).Named("reject-invalid")
            .Select(valid =>
            {
                metrics?.OnArrived(valid.Decoded.Reading!, valid.Arrived);
                return new ArrivedReading(valid.Decoded.Reading!, valid.Arrived, valid.Message);
            }).Named("arrived-reading");

    /// <summary>
    /// Cuts the readings with <c>GroupedWithin</c> (at most <paramref name="maxBatch"/> readings or
    /// <see cref="GroupingInterval"/> a group) and folds the groups into windows of
    /// <paramref name="length"/> aligned to the clock: this node's share of each, its maximum and
    /// count so far, after every group and once more when the window closes.
    /// </summary>
    public static Flow<ArrivedReading, WindowShare, NotUsed> Windows(TimeSpan length, int maxBatch, Func<DateTimeOffset> clock)
    {
        var grouping = GroupingInterval(length);
        return Flow.Create<ArrivedReading>()
            .GroupedWithin(maxBatch, grouping).Named("window")
            .Via(new AlignedWindows(length, grouping + grouping, clock));
    }

    /// <summary>Window maxima, JSON-encoded, to an AMQP sink (the address <c>max</c>).</summary>
    public static Sink<WindowMaximum, NotUsed> MaxPublisher<TMat>(Sink<Amqp.Message, TMat> sink) =>
        Flow.Create<WindowMaximum>().Select(ReadingCodec.EncodeWindow).Named("encode-window").To(sink);
}
