using Amqp;

namespace ActorDemo.Amqp;

/// <summary>
/// The sink's messages waiting to be sent, in order. Messages handed back (a lost link, a
/// release) go in front again. A ring buffer: no allocation per message once it has grown.
/// </summary>
internal sealed class SendQueue
{
    private Message[] _ring = new Message[16];
    private int _head;

    public int Count { get; private set; }

    public void AddLast(Message message)
    {
        GrowIfFull();
        _ring[(_head + Count) & (_ring.Length - 1)] = message;
        Count++;
    }

    public void AddFirst(Message message)
    {
        GrowIfFull();
        _head = (_head - 1) & (_ring.Length - 1);
        _ring[_head] = message;
        Count++;
    }

    public Message RemoveFirst()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The send queue is empty.");
        }

        var message = _ring[_head];
        _ring[_head] = null!;
        _head = (_head + 1) & (_ring.Length - 1);
        Count--;
        return message;
    }

    private void GrowIfFull()
    {
        if (Count < _ring.Length)
        {
            return;
        }

        var grown = new Message[_ring.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = _ring[(_head + i) & (_ring.Length - 1)];
        }

        _ring = grown;
        _head = 0;
    }
}
