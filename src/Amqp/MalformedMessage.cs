using Amqp;
using Amqp.Framing;
using Amqp.Types;

namespace ActorDemo.Amqp;

/// <summary>
/// What a receiving connection hands on in place of a transfer that is not an AMQP message: a
/// message with no body whose delivery annotation says what was wrong. Whoever processes it
/// rejects it with that description, as it would any other invalid message, and the link stays up.
/// </summary>
public static class MalformedMessage
{
    /// <summary>A delivery annotation: it concerns this hop only and never travels further.</summary>
    public static readonly Symbol Annotation = new("x-opt-actordemo-malformed");

    /// <summary>The problem a stand-in carries, or null for any other message.</summary>
    public static string? Problem(Message message) =>
        message.DeliveryAnnotations?.Map.TryGetValue(Annotation, out var problem) == true ? problem as string : null;

    /// <summary>A stand-in for a transfer with this problem.</summary>
    internal static Message StandIn(string problem) =>
        new() { DeliveryAnnotations = new DeliveryAnnotations { [Annotation] = problem } };

    /// <summary>The encoded sections of a stand-in for a transfer with this problem.</summary>
    internal static byte[] Encode(string problem)
    {
        var buffer = new ByteBuffer(256, true);
        StandIn(problem).DeliveryAnnotations.Encode(buffer);
        return buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).ToArray();
    }
}
