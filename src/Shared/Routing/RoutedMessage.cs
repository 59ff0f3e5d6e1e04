using Amqp;

namespace ActorDemo.Shared.Routing;

/// <summary>
/// A message as the router received it: its encoded bytes, never decoded, since a router only
/// forwards. AMQPNetLite consumes a buffer as it writes it, so every forward wraps the bytes anew.
/// </summary>
internal sealed class RoutedMessage(byte[] encoded) : Message
{
    public ByteBuffer NewBuffer() => new(encoded, 0, encoded.Length, encoded.Length);

    public static RoutedMessage Copy(ByteBuffer buffer) =>
        new(buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).ToArray());
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
