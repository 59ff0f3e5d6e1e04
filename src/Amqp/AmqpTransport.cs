using System.Buffers;
using System.Buffers.Binary;
using Amqp;

namespace ActorDemo.Amqp;

/// <summary>
/// The transport of one AMQP connection, over a TCP stream or TLS on one. Reads go into one buffer
/// that serves many frames, so a small frame costs no read of its own; what is read ahead during a
/// protocol handshake stays in the buffer for the connection that follows. Frames AMQPNetLite hands
/// over together leave in one write. With a <see cref="TransferScreen"/> every frame is whole in
/// the buffer and screened before AMQPNetLite reads any of it.
/// </summary>
internal sealed class AmqpTransport(Stream stream, TransferScreen? screen = null) : IAsyncTransport
{
    private const int ReadBufferSize = 64 * 1024;
    private const int FrameHeaderSize = 8;
    private const int MinimumReceive = 4096;

    private byte[] _read = new byte[ReadBufferSize];
    private int _readStart;
    private int _readEnd;
    private TransferScreen? _screen = screen;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _handedOut;

    /// <summary>Bytes from <see cref="_readStart"/> on that were screened and may be handed out.</summary>
    private int _screened;

    /// <summary>A frame the screen rewrote, handed out before anything still in the buffer.</summary>
    private ReadOnlyMemory<byte> _rewritten;

    /// <summary>Bytes handed to readers so far, the handshake's and the connection's.</summary>
    public long HandedOut => Interlocked.Read(ref _handedOut);

    /// <summary>Completes once the transport was closed, by this side or because the peer went away.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Fills <paramref name="destination"/> or throws: the handshake's way of reading.</summary>
    /// <exception cref="EndOfStreamException">The peer closed the connection first.</exception>
    public async ValueTask ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (destination.Length > 0)
        {
            var count = Serve(destination.Span, out var needed);
            if (count == 0 && await FillAsync(needed, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new EndOfStreamException("The peer closed the connection.");
            }

            destination = destination[count..];
        }
    }

    /// <summary>Puts bytes back in front of what is still unread, for the reader that comes next.</summary>
    public void Unread(ReadOnlySpan<byte> bytes)
    {
        if (_readStart < bytes.Length)
        {
            var unread = _readEnd - _readStart;
            _read.AsSpan(_readStart, unread).CopyTo(_read.AsSpan(bytes.Length));
            _readStart = bytes.Length;
            _readEnd = bytes.Length + unread;
        }

        _readStart -= bytes.Length;
        bytes.CopyTo(_read.AsSpan(_readStart));
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        stream.WriteAsync(bytes, cancellationToken);

    async Task<int> IAsyncTransport.ReceiveAsync(byte[] buffer, int offset, int count)
    {
        while (true)
        {
            var served = Serve(buffer.AsSpan(offset, count), out var needed);
            if (served > 0 || await FillAsync(needed, CancellationToken.None).ConfigureAwait(false) == 0)
            {
                return served;
            }
        }
    }

    int ITransport.Receive(byte[] buffer, int offset, int count)
    {
        while (true)
        {
            var served = Serve(buffer.AsSpan(offset, count), out var needed);
            if (served > 0 || Fill(needed) == 0)
            {
                return served;
            }
        }
    }

    async Task IAsyncTransport.SendAsync(IList<ByteBuffer> bufferList, int listSize)
    {
        // AMQPNetLite queues the frames that come while a write is in flight and hands them over
        // together next. On loopback a write would complete inline, so nothing would ever queue:
        // leaving the caller's thread first lets a burst of frames (a stage sending or settling
        // many messages at once) gather behind this one.
        await Task.Yield();
        if (bufferList.Count == 1)
        {
            var only = bufferList[0];
            await stream.WriteAsync(only.Buffer.AsMemory(only.Offset, only.Length)).ConfigureAwait(false);
            return;
        }

        // The frames queued while the last write was in flight leave together: one write, one TLS record.
        var total = 0;
        foreach (var buffer in bufferList)
        {
            total += buffer.Length;
        }

        var joined = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var offset = 0;
            foreach (var buffer in bufferList)
            {
                buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).CopyTo(joined.AsSpan(offset));
                offset += buffer.Length;
            }

            await stream.WriteAsync(joined.AsMemory(0, total)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(joined);
        }
    }

    void IAsyncTransport.SetConnection(Connection connection)
    {
        // Nothing to bind: the stream is connected before the connection exists.
    }

    void ITransport.Send(ByteBuffer buffer) => stream.Write(buffer.Buffer, buffer.Offset, buffer.Length);

    public void Close()
    {
        stream.Dispose();
        _closed.TrySetResult();
    }

    void ITransport.Close() => Close();

    /// <summary>
    /// Copies what may be handed out into <paramref name="destination"/>. When nothing may,
    /// returns 0 and how many unread bytes the buffer must hold before more can be.
    /// </summary>
    private int Serve(Span<byte> destination, out int needed)
    {
        needed = 1;
        if (!_rewritten.IsEmpty)
        {
            var count = Math.Min(destination.Length, _rewritten.Length);
            _rewritten.Span[..count].CopyTo(destination);
            _rewritten = _rewritten[count..];
            Interlocked.Add(ref _handedOut, count);
            return count;
        }

        if (_screen is null)
        {
            return Take(destination, _readEnd - _readStart);
        }

        if (_screened == 0 && !TryScreenNextFrame(out needed))
        {
            return _rewritten.IsEmpty ? 0 : Serve(destination, out needed);
        }

        var taken = Take(destination, _screened);
        _screened -= taken;
        return taken;
    }

    /// <summary>Screens the next protocol header or frame once it is whole in the buffer.</summary>
    private bool TryScreenNextFrame(out int needed)
    {
        var available = _readEnd - _readStart;
        needed = FrameHeaderSize;
        if (available < FrameHeaderSize)
        {
            return false;
        }

        var unit = _read.AsSpan(_readStart, available);
        if (unit.StartsWith("AMQP"u8))
        {
            _screened = FrameHeaderSize;
            return true;
        }

        var size = BinaryPrimitives.ReadInt32BigEndian(unit);
        if (size < FrameHeaderSize || size > _screen!.MaxFrameSize)
        {
            // Not a frame this connection may receive: AMQPNetLite closes the connection over it.
            _screen = null;
            _screened = available;
            return true;
        }

        needed = size;
        if (available < size)
        {
            return false;
        }

        if (_screen.Screen(_read, _readStart, size) is { } rewritten)
        {
            _readStart += size;
            _rewritten = rewritten;
            return false;
        }

        _screened = size;
        return true;
    }

    private int Take(Span<byte> destination, int limit)
    {
        var count = Math.Min(destination.Length, limit);
        _read.AsSpan(_readStart, count).CopyTo(destination);
        _readStart += count;
        Interlocked.Add(ref _handedOut, count);
        return count;
    }

    private int Fill(int needed)
    {
        MakeRoom(needed);
        var received = stream.Read(_read, _readEnd, _read.Length - _readEnd);
        _readEnd += received;
        return received;
    }

    private async ValueTask<int> FillAsync(int needed, CancellationToken cancellationToken)
    {
        MakeRoom(needed);
        var received = await stream.ReadAsync(_read.AsMemory(_readEnd), cancellationToken).ConfigureAwait(false);
        _readEnd += received;
        return received;
    }

    /// <summary>
    /// Makes room for <paramref name="needed"/> unread bytes in all and a receive of a useful
    /// size behind them: moves the unread bytes to the front, or into a larger buffer for a frame
    /// larger than this one.
    /// </summary>
    private void MakeRoom(int needed)
    {
        var unread = _readEnd - _readStart;
        if (unread == 0)
        {
            _readStart = _readEnd = 0;
        }

        var required = Math.Max(needed, Math.Min(unread + MinimumReceive, _read.Length));
        if (_readStart + required <= _read.Length)
        {
            return;
        }

        var target = required <= _read.Length
            ? _read
            : new byte[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)required)];
        _read.AsSpan(_readStart, unread).CopyTo(target);
        _read = target;
        _readStart = 0;
        _readEnd = unread;
    }
}
