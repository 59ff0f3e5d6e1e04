namespace ActorDemo.Aggregator;

/// <summary>The local protocol of <see cref="WindowReporter"/>; windows themselves arrive as <see cref="ClosedWindow"/>.</summary>
public static class WindowReporterProtocol
{
    /// <summary>Answered with <see cref="Drained"/> once every window sent so far was recorded.</summary>
    public sealed record Drain
    {
        public static readonly Drain Instance = new();
    }

    public sealed record Drained
    {
        public static readonly Drained Instance = new();
    }
}
