using System.Buffers.Binary;
using System.Net.Sockets;
using Amqp;

namespace ActorDemo.Shared.Amqp;

/// <summary>
/// An AMQP transport over a connected TCP socket. Reads go into one buffer that serves many
/// frames, so a small frame costs no receive of its own; what is read ahead during a protocol
/// handshake stays in the buffer for the connection that follows. With a <see cref="TransferScreen"/>
/// every frame is whole in the buffer and screened before AMQPNetLite reads any of it.
/// </summary>
internal sealed class SocketTransport(Socket socket, TransferScreen? screen = null) : IAsyncTransport
{
    private const int ReadBufferSize = 64 * 1024;
    private const int FrameHeaderSize = 8;
    private const int MinimumReceive = 4096;

    private byte[] _read = new byte[ReadBufferSize];
    private int _readStart;
    private int _readEnd;
    private TransferScreen? _screen = screen;

    /// <summary>Bytes from <see cref="_readStart"/> on that were screened and may be handed out.</summary>
    private int _screened;

    /// <summary>A frame the screen rewrote, handed out before anything still in the buffer.</summary>
    private ReadOnlyMemory<byte> _rewritten;

    public Socket Socket { get; } = socket;

    /// <summary>Fills <paramref name="destination"/> or throws: the handshake's way of reading.</summary>
    /// <exception cref="SocketException">The peer closed the connection first.</exception>
    public async ValueTask ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (destination.Length > 0)
        {
            var count = Serve(destination.Span, out var needed);
            if (count == 0 && await FillAsync(needed, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
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

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (bytes.Length > 0)
        {
            var sent = await Socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

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
        var segments = new ArraySegment<byte>[bufferList.Count];
        for (var i = 0; i < segments.Length; i++)
        {
            var buffer = bufferList[i];
            segments[i] = new ArraySegment<byte>(buffer.Buffer, buffer.Offset, buffer.Length);
        }

        // On a stream socket the list is sent whole or the task fails.
        await Socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
    }

    void IAsyncTransport.SetConnection(Connection connection)
    {
        // Nothing to bind: the socket is connected before the connection exists.
    }

    void ITransport.Send(ByteBuffer buffer) => WriteAsync(buffer.Buffer.AsMemory(buffer.Offset, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public void Close() => Socket.Dispose();

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
        return count;
    }

    private int Fill(int needed)
    {
        MakeRoom(needed);
        var received = Socket.Receive(_read, _readEnd, _read.Length - _readEnd, SocketFlags.None);
        _readEnd += received;
        return received;
    }

    private async ValueTask<int> FillAsync(int needed, CancellationToken cancellationToken)
    {
        MakeRoom(needed);
        var received = await Socket.ReceiveAsync(_read.AsMemory(_readEnd), SocketFlags.None, cancellationToken).ConfigureAwait(false);
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
