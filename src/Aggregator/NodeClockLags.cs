using Akka.Actor;

namespace ActorDemo.Aggregator;

/// <summary>
/// How far each aggregator node's clock lags the singleton's, estimated from its shares: a share says
/// when the node cut it, by its own clock, and reaches the singleton some time later by the
/// singleton's. The least difference among the shares of the last few seconds is the lag plus the
/// quickest trip: shares held up on the way (resent after a hand-over) never lower it, and one
/// fresh share a second suffices. A node whose clock runs ahead shows a negative lag and is not
/// waited for any longer. A node cuts its windows by its own clock, so the singleton waits for a
/// lagging node's closed share that much longer than the grace period.
/// </summary>
internal sealed class NodeClockLags
{
    /// <summary>The most the singleton waits on a node's lag: a clock further off is a fault to fix, not to wait for.</summary>
    public static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(30);

    /// <summary>How far back the shares go that the estimate is taken from.</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a node's shares must have come in before its estimate is told to anyone: a new
    /// singleton's first shares are the resends of the hand-over, late by the hand-over itself.
    /// </summary>
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(1);

    private readonly Dictionary<Address, Queue<(DateTimeOffset ReceivedAt, TimeSpan Difference)>> _samples = [];
    private readonly HashSet<Address> _beyond = [];

    public void Observe(Address node, DateTimeOffset cutAt, DateTimeOffset receivedAt)
    {
        if (!_samples.TryGetValue(node, out var samples))
        {
            _samples[node] = samples = new Queue<(DateTimeOffset, TimeSpan)>();
        }

        samples.Enqueue((receivedAt, receivedAt - cutAt));
        while (samples.Count > 1 && samples.Peek().ReceivedAt < receivedAt - Horizon)
        {
            samples.Dequeue();
        }
    }

    /// <summary>What the singleton waits on for the node: its lag, at least zero and at most <see cref="MaxLag"/>.</summary>
    public TimeSpan LagOf(Address node) => TimeSpan.FromTicks(Math.Clamp(MeasuredLagOf(node).Ticks, 0, MaxLag.Ticks));

    /// <summary>The node's lag as measured: negative for a clock ahead of the singleton's; zero for a node not heard from.</summary>
    public TimeSpan MeasuredLagOf(Address node) =>
        _samples.TryGetValue(node, out var samples) && samples.Count > 0 ? samples.Min(s => s.Difference) : TimeSpan.Zero;

    /// <summary>
    /// True the first time the node's settled lag exceeds <paramref name="limit"/>, and again only
    /// after it has come back within it: for a warning given once per excursion.
    /// </summary>
    public bool NewlyBeyond(Address node, TimeSpan limit)
    {
        if (LagOf(node) <= limit)
        {
            _beyond.Remove(node);
            return false;
        }

        return IsSettled(node) && _beyond.Add(node);
    }

    public void Forget(Address node)
    {
        _samples.Remove(node);
        _beyond.Remove(node);
    }

    private bool IsSettled(Address node) =>
        _samples.TryGetValue(node, out var samples) && samples.Count > 0 && samples.Last().ReceivedAt - samples.Peek().ReceivedAt >= Settling;

    /// <summary>Every node heard from, with its lag as measured.</summary>
    public IReadOnlyList<(Address Node, TimeSpan Lag)> All() => _samples.Keys.Select(node => (node, MeasuredLagOf(node))).ToList();
}
