namespace ActorDemo.Aggregator;

/// <summary>
/// The singleton's clock as this node reads it. The node cuts its windows by it, so that a node
/// whose own clock is off still counts a reading in the window the singleton waits for it in: the
/// singleton waits for the nodes that were Up during a window, by its own clock. Learned from the
/// singleton's incarnation checks (several a second), each of which says when it was sent: sent time
/// minus arrival is the offset less the trip, so the greatest of the last few seconds is the best
/// estimate (a check held up on the way never raises it). Until the first check, or with no
/// singleton, the node's own clock stands; a new incarnation (another node's clock) starts afresh.
/// </summary>
/// <remarks>Told by the reporter actor only; read by the readings stream on any thread.</remarks>
public sealed class ClusterClock(Func<DateTimeOffset> local)
{
    private static readonly TimeSpan Horizon = TimeSpan.FromSeconds(5);

    // The first checks of an incarnation can be held up while the nodes associate.
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(1);

    private readonly Queue<(DateTimeOffset ArrivedAt, TimeSpan Offset)> _samples = new();
    private readonly TaskCompletionSource _synchronized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _incarnation;
    private long _offsetTicks;
    private DateTimeOffset? _firstArrival;

    public ClusterClock()
        : this(() => DateTimeOffset.UtcNow)
    {
    }

    /// <summary>How far the singleton's clock is ahead of this node's (negative: behind).</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    /// <summary>Whether the current incarnation's checks span a second: the estimate no longer holds the first checks' delays.</summary>
    public bool Settled { get; private set; }

    /// <summary>Completes with the first check heard.</summary>
    public Task Synchronized => _synchronized.Task;

    public DateTimeOffset Now() => local() + Offset;

    /// <summary>A check of singleton incarnation <paramref name="incarnation"/>, sent at <paramref name="sentAt"/> by its clock, arrived now.</summary>
    public void Observe(long incarnation, DateTimeOffset sentAt)
    {
        if (incarnation < _incarnation)
        {
            return;
        }

        if (incarnation > _incarnation)
        {
            _samples.Clear();
            _incarnation = incarnation;
            _firstArrival = null;
        }

        var arrivedAt = local();
        _firstArrival ??= arrivedAt;
        Settled = arrivedAt - _firstArrival >= Settling;
        _samples.Enqueue((arrivedAt, sentAt - arrivedAt));
        while (_samples.Peek().ArrivedAt < arrivedAt - Horizon)
        {
            _samples.Dequeue();
        }

        Volatile.Write(ref _offsetTicks, _samples.Max(sample => sample.Offset).Ticks);
        _synchronized.TrySetResult();
    }
}
