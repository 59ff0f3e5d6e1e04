using System.Buffers.Binary;
using System.Text;

namespace ActorDemo.Amqp;

/// <summary>
/// Reads just enough of AMQP 1.0's type encoding to find a performative's fields, without
/// allocating. Every method returns false rather than read past the end.
/// </summary>
internal ref struct AmqpReader(ReadOnlySpan<byte> bytes, int position)
{
    private static readonly byte[] TransferSymbol = Encoding.ASCII.GetBytes("amqp:transfer:list");

    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Position { get; private set; } = position;

    /// <summary>A descriptor's numeric code; the symbolic form is understood for transfer only.</summary>
    public bool TryReadDescriptor(out ulong code)
    {
        code = 0;
        if (!TryReadByte(out var constructor) || constructor != 0x00 || !TryReadByte(out var format))
        {
            return false;
        }

        switch (format)
        {
            case 0x44:
                return true;
            case 0x53:
                var read = TryReadByte(out var small);
                code = small;
                return read;
            case 0x80:
                if (!TryRead(8, out var wide))
                {
                    return false;
                }

                code = BinaryPrimitives.ReadUInt64BigEndian(wide);
                return true;
            case 0xa3 or 0xb3:
                if (!TryReadSize(format == 0xb3, out var length) || !TryRead(length, out var name))
                {
                    return false;
                }

                code = name.SequenceEqual(TransferSymbol) ? 0x14 : ulong.MaxValue;
                return true;
            default:
                return false;
        }
    }

    /// <summary>A list's field count and where the list ends.</summary>
    public bool TryReadListHeader(out int count, out int end)
    {
        count = 0;
        end = 0;
        if (!TryReadByte(out var format))
        {
            return false;
        }

        if (format == 0x45)
        {
            end = Position;
            return true;
        }

        if (format is not (0xc0 or 0xd0) || !TryReadSize(format == 0xd0, out var size))
        {
            return false;
        }

        end = Position + size;
        if (!TryReadSize(format == 0xd0, out count))
        {
            return false;
        }

        return end <= _bytes.Length;
    }

    public bool TryReadUInt(out uint value)
    {
        value = 0;
        if (!TryReadByte(out var format))
        {
            return false;
        }

        switch (format)
        {
            case 0x43:
                return true;
            case 0x52:
                var ok = TryReadByte(out var small);
                value = small;
                return ok;
            case 0x70:
                if (!TryRead(4, out var wide))
                {
                    return false;
                }

                value = BinaryPrimitives.ReadUInt32BigEndian(wide);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A boolean field; an absent (null) one is false.</summary>
    public bool TryReadBoolean(out bool value)
    {
        value = false;
        if (!TryReadByte(out var format))
        {
            return false;
        }

        switch (format)
        {
            case 0x40 or 0x42:
                return true;
            case 0x41:
                value = true;
                return true;
            case 0x56:
                var ok = TryReadByte(out var b);
                value = b != 0;
                return ok;
            default:
                return false;
        }
    }

    /// <summary>Steps over one encoded value of any type; its width follows from its format code.</summary>
    public bool TrySkip()
    {
        if (!TryReadByte(out var format))
        {
            return false;
        }

        if (format == 0x00)
        {
            return TrySkip() && TrySkip();
        }

        var width = (format >> 4) switch
        {
            0x4 => 0,
            0x5 => 1,
            0x6 => 2,
            0x7 => 4,
            0x8 => 8,
            0x9 => 16,
            0xa or 0xc or 0xe => -1,
            0xb or 0xd or 0xf => -4,
            _ => int.MinValue,
        };
        if (width == int.MinValue)
        {
            return false;
        }

        if (width < 0 && !TryReadSize(width == -4, out width))
        {
            return false;
        }

        return TryRead(width, out _);
    }

    private bool TryReadSize(bool wide, out int size)
    {
        size = 0;
        if (!TryRead(wide ? 4 : 1, out var bytes))
        {
            return false;
        }

        var value = wide ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : bytes[0];
        size = (int)Math.Min(value, int.MaxValue);
        return true;
    }

    private bool TryReadByte(out byte value)
    {
        var ok = TryRead(1, out var bytes);
        value = ok ? bytes[0] : (byte)0;
        return ok;
    }

    private bool TryRead(int count, out ReadOnlySpan<byte> bytes)
    {
        if (count < 0 || count > _bytes.Length - Position)
        {
            bytes = default;
            return false;
        }

        bytes = _bytes.Slice(Position, count);
        Position += count;
        return true;
    }
}
