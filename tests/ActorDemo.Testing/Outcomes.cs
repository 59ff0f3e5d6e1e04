using Amqp;
using Amqp.Framing;

namespace ActorDemo.Testing;

public static class Outcomes
{
    /// <summary>Sends without blocking and completes with the peer's outcome.</summary>
    public static Task<Outcome> SendWithOutcome(this SenderLink sender, Message message)
    {
        var outcome = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        sender.Send(message, (_, _, o, _) => outcome.TrySetResult(o), null);
        return outcome.Task;
    }

    public static Task<Outcome> SendWithOutcome(this SenderLink sender, string body) => sender.SendWithOutcome(new Message(body));
}
