using System.Collections.Concurrent;

namespace ActorDemo.Amqp;

/// <summary>
/// Carries items from other threads into a graph stage in batches. Producers enqueue; the first
/// item of a batch wakes the stage through one async callback, which then handles everything
/// queued by the time it runs. A burst of thousands costs one trip into the stage, not thousands.
/// </summary>
/// <remarks>
/// Create it in the stage logic's constructor, handing it the logic's <c>GetAsyncCallback</c>:
/// <c>new StageInbox&lt;T&gt;(Handle, GetAsyncCallback)</c>. The handler runs inside the stage.
/// </remarks>
public sealed class StageInbox<T>
{
    /// <summary>Handled per wake before the stage gets to its other events again.</summary>
    private const int BatchLimit = 4096;

    private readonly ConcurrentQueue<T> _items = new();
    private readonly Action<T> _handle;
    private readonly Action _wake;
    private int _woken;

    public StageInbox(Action<T> handle, Func<Action, Action> asyncCallback)
    {
        _handle = handle;
        _wake = asyncCallback(Drain);
    }

    /// <summary>Queues the item for the stage; safe from any thread.</summary>
    public void Post(T item)
    {
        _items.Enqueue(item);
        if (Interlocked.Exchange(ref _woken, 1) == 0)
        {
            _wake();
        }
    }

    private void Drain()
    {
        // Cleared before draining: an item queued from here on either is drained now or wakes the stage again.
        Volatile.Write(ref _woken, 0);
        for (var handled = 0; handled < BatchLimit && _items.TryDequeue(out var item); handled++)
        {
            _handle(item);
        }

        if (!_items.IsEmpty && Interlocked.Exchange(ref _woken, 1) == 0)
        {
            _wake();
        }
    }
}
