using ActorDemo.Amqp;
using ActorDemo.Readings;
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
    /// <param name="futureLimit">With windows by event time: a reading stamped further ahead of the clock is rejected, so that a sensor clock that is wrong cannot hold a window open.</param>
    public static Flow<ReceivedMessage, ArrivedReading, NotUsed> Readings(RejectedReadings rejected, Func<DateTimeOffset> clock, WindowMetrics? metrics = null, TimeSpan? futureLimit = null) =>
        Flow.Create<ReceivedMessage>()
            .Select(message =>
            {
                var arrived = clock();
                return (Message: message, Arrived: arrived, Decoded: NotAhead(ReadingCodec.Decode(message.Message, arrived), arrived, futureLimit));
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

    private static DecodedReading NotAhead(DecodedReading decoded, DateTimeOffset arrived, TimeSpan? futureLimit) =>
        decoded.Reading is { } reading && futureLimit is { } limit && reading.Timestamp - arrived > limit
            ? DecodedReading.Invalid(
                RejectReason.Future,
                $"the timestamp {reading.Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} of {reading.DeviceId} is {(reading.Timestamp - arrived).TotalSeconds:0.0} s ahead of the cluster's clock, more than --future-limit ({limit.TotalSeconds:0.#} s); set the sensor's clock right (NTP)")
            : decoded;

    /// <summary>
    /// Cuts the readings with <c>GroupedWithin</c> (at most <paramref name="maxBatch"/> readings or
    /// <see cref="GroupingInterval"/> a group) and folds the groups into windows of
    /// <paramref name="length"/> aligned to the clock: this node's share of each, its maximum and
    /// count so far, after every group and once more when the window closes. By arrival time unless
    /// <paramref name="eventTimeWatermark"/> is given: then by each reading's timestamp, closed by the watermark.
    /// </summary>
    public static Flow<ArrivedReading, WindowShare, NotUsed> Windows(TimeSpan length, int maxBatch, Func<DateTimeOffset> clock, Func<DateTimeOffset?>? eventTimeWatermark = null)
    {
        var grouping = GroupingInterval(length);
        var groups = Flow.Create<ArrivedReading>().GroupedWithin(maxBatch, grouping).Named("window");
        return eventTimeWatermark is null
            ? groups.Via(new AlignedWindows(length, grouping + grouping, clock))
            : groups.Via(new EventTimeWindows(length, eventTimeWatermark, grouping, clock));
    }

    /// <summary>Window maxima, JSON-encoded, to an AMQP sink (the address <c>max</c>).</summary>
    public static Sink<WindowMaximum, NotUsed> MaxPublisher<TMat>(Sink<global::Amqp.Message, TMat> sink) =>
        Flow.Create<WindowMaximum>().Select(ReadingCodec.EncodeWindow).Named("encode-window").To(sink);
}
