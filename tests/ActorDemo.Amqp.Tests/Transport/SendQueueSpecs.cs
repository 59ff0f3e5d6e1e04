using Amqp;
using Xunit;

namespace ActorDemo.Amqp.Tests.Transport;

public sealed class SendQueueSpecs
{
    private static Message[] Messages(int count) => Enumerable.Range(0, count).Select(i => new Message(i)).ToArray();

    [Fact]
    public void Messages_leave_in_the_order_they_were_added_across_growth()
    {
        var queue = new SendQueue();
        var messages = Messages(100);
        foreach (var message in messages)
        {
            queue.AddLast(message);
        }

        var taken = Enumerable.Range(0, 100).Select(_ => queue.RemoveFirst()).ToArray();

        Assert.Equal(messages, taken);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Messages_put_back_in_front_leave_before_those_waiting()
    {
        var queue = new SendQueue();
        var messages = Messages(40);
        // Wrapped around the ring first, so that going in front crosses its start.
        for (var i = 10; i < 40; i++)
        {
            queue.AddLast(messages[i]);
        }

        for (var i = 9; i >= 0; i--)
        {
            queue.AddFirst(messages[i]);
        }

        Assert.Equal(messages, Enumerable.Range(0, 40).Select(_ => queue.RemoveFirst()));
    }

    [Fact]
    public void Taking_from_an_empty_queue_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new SendQueue().RemoveFirst());
    }
}
