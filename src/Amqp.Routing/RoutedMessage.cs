using Amqp;

namespace ActorDemo.Amqp.Routing;

/// <summary>
/// A message as the router received it: its encoded bytes, never decoded, since a router only
/// forwards. AMQPNetLite consumes a buffer as it writes it, so every forward wraps the bytes anew.
/// </summary>
internal sealed class RoutedMessage(byte[] array, int offset, int length) : Message
{
    public ByteBuffer NewBuffer() => new(array, offset, length, length);

    /// <summary>The message these bytes hold, or a stand-in saying why they hold none: the router forwards them unscreened.</summary>
    public Message Decode() => TransferScreen.Decode(array, offset, length);

    /// <summary>
    /// The message on the bytes of the frame it arrived in, not a copy of them. That is safe
    /// because the router gives AMQPNetLite no buffer pool: every frame is read into an array of
    /// its own, which nothing reuses, so it stays as it is for as long as the message needs it.
    /// </summary>
    public static RoutedMessage Over(ByteBuffer buffer) => new(buffer.Buffer, buffer.Offset, buffer.Length);
}

/// <summary>
/// One forward of a <see cref="RoutedMessage"/> to a consumer. It is a message of its own because
/// AMQPNetLite ties each message object to one delivery, and the inbound delivery is still needed
/// to settle with the producer.
/// </summary>
internal sealed class Forward(RoutedMessage inbound, Producer producer) : Message
{
    public RoutedMessage Inbound { get; } = inbound;

    public Producer Producer { get; } = producer;
}
