using ActorDemo.Shared.Amqp;
using ActorDemo.Shared.Readings;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorDemo.Aggregator;

/// <summary>The stages between the AMQP source and the aggregator actor.</summary>
public static class WindowStream
{
    /// <summary>
    /// Decodes each message; one that is no reading is rejected with its reason and counted, the
    /// stream goes on. A reading is accepted as it enters the next stage (the window): from there on
    /// it is ours, and its credit goes back to the sender, so credit never limits a window's size.
    /// </summary>
    public static Flow<ReceivedMessage, TemperatureReading, NotUsed> Readings(RejectedReadings rejected, Func<DateTimeOffset> clock) =>
        Flow.Create<ReceivedMessage>()
            .Select(message => (Message: message, Decoded: ReadingCodec.Decode(message.Message, clock()))).Named("decode-reading")
            .Where(candidate =>
            {
                if (candidate.Decoded.Error is { } error)
                {
                    candidate.Message.Reject(error);
                    rejected.Record(error);
                    return false;
                }

                return true;
            }).Named("reject-invalid")
            .Select(valid =>
            {
                valid.Message.Accept();
                return valid.Decoded.Reading!;
            }).Named("accept-reading");

    /// <summary>
    /// Groups readings into windows of <paramref name="length"/>, or fewer readings when
    /// <paramref name="maxBatch"/> is reached first, and gives each window's maximum. A window starts
    /// where the previous one ended, or one length before its end after a quiet spell.
    /// </summary>
    public static Flow<TemperatureReading, WindowMaximum, NotUsed> Windows(TimeSpan length, int maxBatch, Func<DateTimeOffset> clock) =>
        Flow.Create<TemperatureReading>()
            .GroupedWithin(maxBatch, length).Named("window")
            .StatefulSelectMany<TemperatureReading, IEnumerable<TemperatureReading>, WindowMaximum, NotUsed>(() =>
            {
                DateTimeOffset? previousEnd = null;
                return readings =>
                {
                    var end = clock();
                    var start = previousEnd is { } previous && previous > end - length ? previous : end - length;
                    previousEnd = end;
                    return [WindowMaximum.Of(readings.ToList(), start, end)];
                };
            }).Named("window-maximum");

    /// <summary>
    /// Sends window maxima to an AMQP address without ever holding the pipeline back: when the
    /// address gives no credit, the oldest maxima waiting are dropped.
    /// </summary>
    public static Sink<WindowMaximum, NotUsed> MaxPublisher(Sink<Amqp.Message, Task<Done>> sink, int backlog = 100) =>
        Flow.Create<WindowMaximum>()
            .Buffer(backlog, OverflowStrategy.DropHead).Named("max-backlog")
            .Select(ReadingCodec.EncodeWindow).Named("encode-window")
            .To(sink);
}
