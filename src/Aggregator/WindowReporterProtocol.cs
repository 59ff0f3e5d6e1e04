namespace ActorDemo.Aggregator;

/// <summary>The local protocol of <see cref="WindowReporter"/>; the readings stream's shares arrive as <see cref="WindowShare"/>.</summary>
public static class WindowReporterProtocol
{
    /// <summary>Answered with <see cref="Drained"/> once every reading of the shares sent so far was settled.</summary>
    public sealed record Drain
    {
        public static readonly Drain Instance = new();
    }

    public sealed record Drained
    {
        public static readonly Drained Instance = new();
    }
}
