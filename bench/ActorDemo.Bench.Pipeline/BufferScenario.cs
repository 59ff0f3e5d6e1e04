using System.Diagnostics;
using System.Threading.Channels;
using ActorDemo.Sensors;
using ActorDemo.Shared.Readings;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorDemo.Bench.Pipeline;

/// <summary>
/// The publisher's buffer against a bounded <see cref="Channel"/> with the same drop-oldest rule,
/// read by Akka's <c>ChannelSource.FromReader</c>: one thread (as the publisher actor) offers
/// readings as fast as it can, the stream takes them into a counting sink.
/// </summary>
internal static class BufferScenario
{
    public static async Task<string> RunAsync(string kind, int readings, int capacity)
    {
        using var system = ActorSystem.Create("buffer-bench", "akka.loglevel = WARNING");
        var materializer = system.Materializer();
        var sample = Enumerable.Range(0, 1000)
            .Select(i => new TemperatureReading($"sensor-{i:D5}", 20 + i % 10, DateTimeOffset.UtcNow, i))
            .ToArray();
        long taken = 0;
        var counting = Sink.ForEach<TemperatureReading>(_ => taken++);

        Func<TemperatureReading, bool> offer;
        Action complete;
        Func<long> dropped;
        Task done;
        if (kind == "reading-buffer")
        {
            var (queue, finished) = Source.FromGraph(new ReadingBuffer(capacity)).ToMaterialized(counting, Keep.Both).Run(materializer);
            (offer, complete, dropped, done) = (queue.Offer, queue.Complete, () => queue.Dropped, finished);
        }
        else
        {
            long channelDrops = 0;
            var channel = Channel.CreateBounded<TemperatureReading>(
                new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
                _ => Interlocked.Increment(ref channelDrops));
            done = ChannelSource.FromReader(channel.Reader).RunWith(counting, materializer);
            (offer, complete, dropped) = (channel.Writer.TryWrite, () => channel.Writer.Complete(), () => Interlocked.Read(ref channelDrops));
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < readings; i++)
        {
            offer(sample[i % sample.Length]);
        }

        var offering = clock.Elapsed;
        complete();
        await done;
        var total = clock.Elapsed;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        await system.Terminate();
        return $"| {kind} | {capacity:N0} | {readings:N0} | {readings / offering.TotalSeconds:N0} | {taken / total.TotalSeconds:N0} | {taken:N0} | {dropped():N0} | {(double)bytes / readings:N1} |";
    }
}
