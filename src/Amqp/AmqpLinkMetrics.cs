namespace ActorDemo.Amqp;

/// <summary>The state of one AMQP link as the inspection commands show it.</summary>
public enum LinkStatus
{
    Connecting,
    Attached,
    Reconnecting,
    Closed,
    Failed,
}

/// <summary>
/// Counters of one AMQP link, written by its stage and read by anyone (inspection, benchmarks, tests).
/// </summary>
public sealed class AmqpLinkMetrics
{
    private long _sent;
    private long _presettled;
    private long _received;
    private long _accepted;
    private long _rejected;
    private long _released;
    private long _resent;
    private long _reconnects;
    private long _pending;
    private long _unsettled;
    private volatile LinkStatus _state = LinkStatus.Connecting;
    private volatile string? _lastError;

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>
    /// Of <see cref="Sent"/>, those sent pre-settled (at-most-once): the peer owes no outcome, and a
    /// congested router may drop them (Qpid Dispatch counts those as <c>psdrop</c>).
    /// </summary>
    public long Presettled => Interlocked.Read(ref _presettled);

    public long Received => Interlocked.Read(ref _received);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Released => Interlocked.Read(ref _released);

    public long Resent => Interlocked.Read(ref _resent);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Sent and not yet settled by the peer.</summary>
    public long Unsettled => Interlocked.Read(ref _unsettled);

    /// <summary>Taken by the sink and not yet sent: no credit, or no link.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public LinkStatus State => _state;

    public string? LastError => _lastError;

    internal void OnSent() => Interlocked.Increment(ref _sent);

    internal void OnPresettled() => Interlocked.Increment(ref _presettled);

    internal void OnResent() => Interlocked.Increment(ref _resent);

    internal void OnReceived() => Interlocked.Increment(ref _received);

    internal void OnAccepted() => Interlocked.Increment(ref _accepted);

    internal void OnRejected() => Interlocked.Increment(ref _rejected);

    internal void OnReleased() => Interlocked.Increment(ref _released);

    internal void OnReconnect() => Interlocked.Increment(ref _reconnects);

    internal void SetInFlight(long unsettled, long pending)
    {
        Interlocked.Exchange(ref _unsettled, unsettled);
        Interlocked.Exchange(ref _pending, pending);
    }

    internal void SetState(LinkStatus state, string? error = null)
    {
        _state = state;
        if (error is not null)
        {
            _lastError = error;
        }
    }
}
