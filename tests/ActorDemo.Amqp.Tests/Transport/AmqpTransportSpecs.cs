using Amqp;
using Xunit;

namespace ActorDemo.Amqp.Tests.Transport;

public sealed class AmqpTransportSpecs
{
    private static ByteBuffer Frame(params byte[] bytes) => new(bytes, 0, bytes.Length, bytes.Length);

    [Fact]
    public async Task Frames_handed_over_together_leave_in_one_write_in_their_order()
    {
        var stream = new RecordingStream();
        IAsyncTransport transport = new AmqpTransport(stream);
        var frames = Enumerable.Range(0, 50).Select(i => Frame((byte)i, (byte)(i + 1))).ToList();

        await transport.SendAsync(frames, frames.Sum(f => f.Length));

        var write = Assert.Single(stream.Writes);
        Assert.Equal(frames.SelectMany(f => f.Buffer), write);
    }

    [Fact]
    public async Task A_frame_handed_over_alone_is_written_without_waiting_for_more()
    {
        var stream = new RecordingStream();
        IAsyncTransport transport = new AmqpTransport(stream);

        await transport.SendAsync([Frame(1, 2, 3)], 3);

        Assert.Equal([1, 2, 3], Assert.Single(stream.Writes));
    }

    /// <summary>Keeps every write as it was made.</summary>
    private sealed class RecordingStream : Stream
    {
        public List<byte[]> Writes { get; } = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(buffer.AsSpan(offset, count).ToArray());

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
