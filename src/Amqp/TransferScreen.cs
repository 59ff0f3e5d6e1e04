using System.Buffers.Binary;
using Amqp;

namespace ActorDemo.Amqp;

/// <summary>
/// Looks at every transfer a connection receives before AMQPNetLite does. AMQPNetLite decodes a
/// message inside the link, and a payload that does not decode closes the whole connection,
/// handing back every delivery in flight behind it. A router forwards such payloads untouched
/// (Qpid Dispatch and ours alike), so one faulty sender could break every consumer. Here a
/// payload that does not decode is replaced by a <see cref="MalformedMessage"/> saying why,
/// which the consumer rejects like any other invalid message.
/// </summary>
/// <remarks>
/// A message sent in several frames is held back until its last frame: the earlier frames go on
/// without their payload and the last carries the whole message (or its stand-in), so nothing
/// undecodable ever reaches the link and frame order is kept. A message must therefore fit in one
/// frame of the connection's maximum size; a larger one is rejected as too large.
/// </remarks>
internal sealed class TransferScreen(int maxFrameSize)
{
    private const ulong TransferCode = 0x14;
    private const int FrameHeaderSize = 8;
    private const byte AmqpFrame = 0;
    private const string Aborted = "the sender aborted the delivery";

    private readonly Dictionary<(ushort Channel, uint Handle), Partial> _partials = [];

    /// <summary>The largest frame the connection accepts, as it announced in its open.</summary>
    public int MaxFrameSize { get; } = maxFrameSize;

    /// <summary>
    /// Screens one whole frame. Null means it goes on as it is; otherwise the bytes returned go
    /// in its place. Frames this does not understand go on untouched: AMQPNetLite judges them.
    /// </summary>
    public byte[]? Screen(byte[] buffer, int offset, int size)
    {
        var frame = buffer.AsSpan(offset, size);
        if (size <= FrameHeaderSize || frame[5] != AmqpFrame || !TryReadTransfer(frame, out var transfer))
        {
            return null;
        }

        var channel = BinaryPrimitives.ReadUInt16BigEndian(frame[6..]);
        var key = (channel, transfer.Handle);
        var payload = frame[transfer.PayloadStart..];
        if (_partials.Remove(key, out var partial) || transfer.More)
        {
            partial ??= new Partial();
            partial.Add(payload, MaxFrameSize - transfer.PayloadStart);
            if (transfer.More && !transfer.Aborted)
            {
                _partials[key] = partial;
                return Rewrite(frame, transfer.PayloadStart, []);
            }

            var whole = transfer.Aborted ? Aborted : partial.Problem ?? Check(partial.Bytes);
            return Rewrite(frame, transfer.PayloadStart, whole is null ? partial.Bytes : MalformedMessage.Encode(whole));
        }

        var problem = transfer.Aborted ? Aborted : Check(buffer, offset + transfer.PayloadStart, payload.Length);
        return problem is null ? null : Rewrite(frame, transfer.PayloadStart, MalformedMessage.Encode(problem));
    }

    private static string? Check(ReadOnlySpan<byte> payload)
    {
        var copy = payload.ToArray();
        return Check(copy, 0, copy.Length);
    }

    /// <summary>
    /// The message a payload holds, for a reader in the router's process, which gets the payload as the
    /// router received it, unscreened; one that does not decode becomes a stand-in saying why, in the
    /// words the screen uses.
    /// </summary>
    internal static Message Decode(byte[] buffer, int offset, int count)
    {
        return DecodeFailure(buffer, offset, count, out var message) is { } failure
            ? MalformedMessage.StandIn(Describe(buffer, offset, count, failure))
            : message!;
    }

    /// <summary>Decodes as AMQPNetLite will, so that what passes here cannot fail there.</summary>
    private static string? Check(byte[] buffer, int offset, int count) =>
        DecodeFailure(buffer, offset, count, out _) is { } failure ? Describe(buffer, offset, count, failure) : null;

    private static string Describe(byte[] buffer, int offset, int count, Exception failure)
    {
        if (offset != 0)
        {
            // Decoded again on its own, so that the offsets in the library's text count from the payload's start.
            failure = DecodeFailure(buffer.AsSpan(offset, count).ToArray(), 0, count, out _) ?? failure;
        }

        var reason = failure switch
        {
            InvalidCastException => "a section is not a described AMQP type",
            AmqpException amqp => amqp.Error.Description ?? amqp.Error.Condition.ToString(),
            _ => "a section ends before its encoded size",
        };
        return $"the transfer's payload is not an AMQP message ({reason}); send the message sections that AMQP 1.0 defines (header, properties, a body section)";
    }

    /// <summary>Decodes the payload as AMQPNetLite does: null and the message, or why it failed.</summary>
    private static Exception? DecodeFailure(byte[] buffer, int offset, int count, out Message? message)
    {
        message = null;
        try
        {
            message = Message.Decode(new ByteBuffer(buffer, offset, count, offset + count));
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e;
        }
    }

    private static byte[] Rewrite(ReadOnlySpan<byte> frame, int payloadStart, ReadOnlySpan<byte> payload)
    {
        var rewritten = new byte[payloadStart + payload.Length];
        frame[..payloadStart].CopyTo(rewritten);
        payload.CopyTo(rewritten.AsSpan(payloadStart));
        BinaryPrimitives.WriteInt32BigEndian(rewritten, rewritten.Length);
        return rewritten;
    }

    /// <summary>Reads the transfer performative's handle, more and aborted fields, and where its payload starts.</summary>
    private static bool TryReadTransfer(ReadOnlySpan<byte> frame, out Transfer transfer)
    {
        transfer = default;
        var reader = new AmqpReader(frame, frame[4] * 4);
        if (reader.Position < FrameHeaderSize || !reader.TryReadDescriptor(out var descriptor) || descriptor != TransferCode
            || !reader.TryReadListHeader(out var fields, out var end))
        {
            return false;
        }

        uint handle = 0;
        bool more = false, aborted = false;
        for (var field = 0; field < fields && field <= 9; field++)
        {
            var ok = field switch
            {
                0 => reader.TryReadUInt(out handle),
                5 => reader.TryReadBoolean(out more),
                9 => reader.TryReadBoolean(out aborted),
                _ => reader.TrySkip(),
            };
            if (!ok)
            {
                return false;
            }
        }

        transfer = new Transfer(handle, more, aborted, end);
        return end <= frame.Length;
    }

    private readonly record struct Transfer(uint Handle, bool More, bool Aborted, int PayloadStart);

    /// <summary>The payload of a delivery gathered so far, or why it will be rejected.</summary>
    private sealed class Partial
    {
        private byte[] _bytes = [];
        private int _length;

        public string? Problem { get; private set; }

        public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

        public void Add(ReadOnlySpan<byte> payload, int limit)
        {
            if (Problem is not null)
            {
                return;
            }

            if (_length + payload.Length > limit)
            {
                Problem = $"the message is larger than {limit} bytes, the most this consumer takes";
                _bytes = [];
                _length = 0;
                return;
            }

            if (_length + payload.Length > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Min(limit, Math.Max(_length + payload.Length, _bytes.Length * 2)));
            }

            payload.CopyTo(_bytes.AsSpan(_length));
            _length += payload.Length;
        }
    }
}
