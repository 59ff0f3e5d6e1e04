namespace ActorDemo.Sensors;

/// <summary>The protocol of <see cref="ReadingPublisher"/>; readings themselves are sent as <see cref="ActorDemo.Readings.TemperatureReading"/>.</summary>
public static class ReadingPublisherProtocol
{
    /// <summary>Stop taking readings, send what is buffered; answered with <see cref="Akka.Done"/> once all is settled.</summary>
    public sealed record Drain
    {
        public static readonly Drain Instance = new();
    }

    /// <summary>While draining: give up on what is left, count it as dropped; answered with <see cref="Abandoned"/>.</summary>
    public sealed record Abandon
    {
        public static readonly Abandon Instance = new();
    }

    public sealed record Abandoned(long Readings);

    public sealed record GetCounts : ISensorMessage
    {
        public static readonly GetCounts Instance = new();
    }

    /// <param name="Sent">Readings sent on the AMQP link (resends included); <paramref name="Accepted"/> by the peer, or <paramref name="Rejected"/> (not readings to it).</param>
    /// <param name="Pending">Taken by the sink and not yet sent (no credit or no link).</param>
    /// <param name="Unsettled">Sent, with no outcome yet.</param>
    /// <param name="Stall">Why readings wait, if they do (<see cref="StallCause"/>, kebab-case); <paramref name="StallReason"/> says what lifts it.</param>
    public sealed record Counts(
        long Offered, long Dropped, int Buffered, long Sent, long Accepted, long Rejected, long Pending, long Unsettled, string Link, string Stall, string StallReason) : ISensorMessage;
}
