using System.Diagnostics;
using ActorDemo.Sensors;
using ActorDemo.Readings;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorDemo.Bench.Pipeline;

/// <summary>
/// The publisher's buffer (<see cref="ReadingBuffer"/>): one thread (as the publisher actor) offers
/// readings as fast as it can, the stream takes them into a counting sink. Until commit 8e46bc7 this
/// compared the stage of our own the buffer was then with the bounded channel it is now.
/// </summary>
internal static class BufferScenario
{
    public static async Task<string> RunAsync(int readings, int capacity)
    {
        using var system = ActorSystem.Create("buffer-bench", "akka.loglevel = WARNING");
        var materializer = system.Materializer();
        var sample = Enumerable.Range(0, 1000)
            .Select(i => new TemperatureReading($"sensor-{i:D5}", 20 + i % 10, DateTimeOffset.UtcNow, i))
            .ToArray();
        long taken = 0;
        var counting = Sink.ForEach<TemperatureReading>(_ => taken++);

        var buffer = new ReadingBuffer(capacity);
        var done = buffer.Readings.RunWith(counting, materializer);

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < readings; i++)
        {
            buffer.Offer(sample[i % sample.Length]);
        }

        var offering = clock.Elapsed;
        buffer.Complete();
        await done;
        var total = clock.Elapsed;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        await system.Terminate();
        return $"| {capacity:N0} | {readings:N0} | {readings / offering.TotalSeconds:N0} | {taken / total.TotalSeconds:N0} | {taken:N0} | {buffer.Dropped:N0} | {(double)bytes / readings:N1} |";
    }
}
