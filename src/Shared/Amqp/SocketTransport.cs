using System.Net.Sockets;
using Amqp;

namespace ActorDemo.Shared.Amqp;

/// <summary>
/// An AMQP transport over a connected TCP socket. Reads go into one buffer that serves many
/// frames, so a small frame costs no receive of its own; what is read ahead during a protocol
/// handshake stays in the buffer for the connection that follows.
/// </summary>
internal sealed class SocketTransport(Socket socket) : IAsyncTransport
{
    private const int ReadBufferSize = 64 * 1024;

    private readonly byte[] _read = new byte[ReadBufferSize];
    private int _readStart;
    private int _readEnd;

    public Socket Socket { get; } = socket;

    /// <summary>Fills <paramref name="destination"/> or throws: the handshake's way of reading.</summary>
    /// <exception cref="SocketException">The peer closed the connection first.</exception>
    public async ValueTask ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (destination.Length > 0)
        {
            if (_readStart == _readEnd && await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            var count = Take(destination.Span);
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
        if (_readStart == _readEnd && await FillAsync(CancellationToken.None).ConfigureAwait(false) == 0)
        {
            return 0;
        }

        return Take(buffer.AsSpan(offset, count));
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

    int ITransport.Receive(byte[] buffer, int offset, int count)
    {
        if (_readStart == _readEnd)
        {
            _readStart = 0;
            _readEnd = Socket.Receive(_read);
            if (_readEnd == 0)
            {
                return 0;
            }
        }

        return Take(buffer.AsSpan(offset, count));
    }

    public void Close() => Socket.Dispose();

    void ITransport.Close() => Close();

    private async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        _readStart = 0;
        _readEnd = await Socket.ReceiveAsync(_read.AsMemory(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        return _readEnd;
    }

    private int Take(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _readEnd - _readStart);
        _read.AsSpan(_readStart, count).CopyTo(destination);
        _readStart += count;
        return count;
    }
}
