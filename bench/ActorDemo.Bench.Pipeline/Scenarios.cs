using System.Diagnostics;
using System.Text.Json;
using ActorDemo.Aggregator;
using ActorDemo.Sensors;
using ActorDemo.Amqp;
using ActorDemo.Node.Hosting;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Amqp.Framing;
using Microsoft.Extensions.DependencyInjection;

namespace ActorDemo.Bench.Pipeline;

internal static class Scenarios
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    /// <summary>
    /// One sensor node (this process) with <paramref name="sensors"/> sensors at 1 Hz, publishing to
    /// the aggregator executable (another process). Memory after a full GC against the same node with
    /// no sensors; CPU of this process; whether every reading was accepted.
    /// </summary>
    public static async Task<string> DensityAsync(int sensors, TimeSpan measure)
    {
        var (routerPort, aggregatorPort) = (BenchNode.FreePort(), BenchNode.FreePort());
        using var aggregator = BenchNode.StartAggregator(routerPort, aggregatorPort, "--max-address", "", "--credit", "1000000");
        try
        {
            var options = SensorNodeOptions(routerPort, aggregatorPort, TimeSpan.FromSeconds(1));
            // A reading stays in flight until its window is recorded: a window and the grace period of readings.
            options.Amqp.MaxInFlight = 1_000_000;
            await using var node = await BenchNode.StartAsync(options, SensorHosting.Feature);
            var fleet = node.Registry.Get<SensorFleetActor>();
            var publisher = node.Registry.Get<ReadingPublisher>();
            var link = node.Services.GetRequiredService<ActorDemo.Node.Links.AmqpLinks>().Find(SensorHosting.ReadingsLink)!;
            await Task.Delay(TimeSpan.FromSeconds(5));
            var (idleManaged, idleWorkingSet) = Memory();

            var created = Stopwatch.StartNew();
            await fleet.Ask<SensorFleetProtocol.Resized>(new SensorFleetProtocol.Resize(sensors), TimeSpan.FromMinutes(2));
            created.Stop();
            await Task.Delay(Settle);

            var self = Process.GetCurrentProcess();
            var before = (Cpu: self.TotalProcessorTime, Counts: await publisher.Ask<ReadingPublisherProtocol.Counts>(ReadingPublisherProtocol.GetCounts.Instance), Accepted: link.Accepted, Clock: Stopwatch.StartNew());
            await Task.Delay(measure);
            self.Refresh();
            var after = await publisher.Ask<ReadingPublisherProtocol.Counts>(ReadingPublisherProtocol.GetCounts.Instance);
            var seconds = before.Clock.Elapsed.TotalSeconds;
            var cpu = (self.TotalProcessorTime - before.Cpu).TotalSeconds / seconds * 100;
            var offered = (after.Offered - before.Counts.Offered) / seconds;
            var accepted = (link.Accepted - before.Accepted) / seconds;
            var dropped = (after.Dropped - before.Counts.Dropped) / seconds;
            var (managed, workingSet) = Memory();

            return $"| {sensors:N0} | {created.Elapsed.TotalSeconds:F1} | {(managed - idleManaged) / (double)sensors:N0} | {(workingSet - idleWorkingSet) / (double)sensors:N0} | {workingSet / 1048576.0:N0} | {cpu:N0} | {offered:N0} | {accepted:N0} | {dropped:N0} |";
        }
        finally
        {
            aggregator.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Readings/s from sensor actors (this process) to the aggregator (the executable, another
    /// process), at-least-once: the sum of the readings of the windows the aggregator reports on
    /// <c>max</c> over the measured time, against what the sensors offered.
    /// </summary>
    public static async Task<string> ThroughputAsync(int sensors, TimeSpan interval, TimeSpan measure)
    {
        var (routerPort, aggregatorPort) = (BenchNode.FreePort(), BenchNode.FreePort());
        using var aggregator = BenchNode.StartAggregator(routerPort, aggregatorPort, "--window", "1s", "--credit", "1000000");
        try
        {
            var options = SensorNodeOptions(routerPort, aggregatorPort, interval);
            options.Sensors.Count = sensors;
            options.Sensors.Buffer = 100_000;
            options.Amqp.MaxInFlight = 1_000_000;
            await using var node = await BenchNode.StartAsync(options, SensorHosting.Feature);
            var publisher = node.Registry.Get<ReadingPublisher>();
            var windows = new List<(DateTimeOffset End, int Count)>();
            _ = AmqpSource.Create(new AmqpSourceSettings(AmqpEndpoint.Create($"amqp://127.0.0.1:{routerPort}"), "max"))
                .RunForeach(
                    message =>
                    {
                        using var json = JsonDocument.Parse(((Data)message.Message.BodySection).Binary);
                        message.Accept();
                        lock (windows)
                        {
                            windows.Add((json.RootElement.GetProperty("window-end").GetDateTimeOffset(), json.RootElement.GetProperty("count").GetInt32()));
                        }
                    },
                    node.System.Materializer());
            await Task.Delay(Settle);

            var self = Process.GetCurrentProcess();
            aggregator.Refresh();
            var start = DateTimeOffset.UtcNow;
            var before = (Cpu: self.TotalProcessorTime, AggregatorCpu: aggregator.TotalProcessorTime, Counts: await publisher.Ask<ReadingPublisherProtocol.Counts>(ReadingPublisherProtocol.GetCounts.Instance));
            await Task.Delay(measure);
            var end = DateTimeOffset.UtcNow;
            self.Refresh();
            aggregator.Refresh();
            var after = await publisher.Ask<ReadingPublisherProtocol.Counts>(ReadingPublisherProtocol.GetCounts.Instance);
            var seconds = (end - start).TotalSeconds;
            int delivered;
            lock (windows)
            {
                delivered = windows.Where(w => w.End > start && w.End <= end).Sum(w => w.Count);
            }

            var offered = (after.Offered - before.Counts.Offered) / seconds;
            var dropped = (after.Dropped - before.Counts.Dropped) / seconds;
            var sensorCpu = (self.TotalProcessorTime - before.Cpu).TotalSeconds / seconds * 100;
            var aggregatorCpu = (aggregator.TotalProcessorTime - before.AggregatorCpu).TotalSeconds / seconds * 100;
            return $"| {sensors:N0} x {1 / interval.TotalSeconds:N0} Hz | {offered:N0} | {delivered / seconds:N0} | {dropped:N0} | {sensorCpu:N0} | {aggregatorCpu:N0} |";
        }
        finally
        {
            aggregator.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// The one-command shape (router, aggregator and sensors in one node): the time from a window's
    /// close (its end, stamped as the window stage emits it) to the aggregator singleton recording it.
    /// </summary>
    public static async Task<string> LatencyAsync(int sensors, TimeSpan interval, TimeSpan window, TimeSpan measure)
    {
        var routerPort = BenchNode.FreePort();
        var port = BenchNode.FreePort();
        var options = SensorNodeOptions(routerPort, port, interval);
        options.Amqp.Url = null;
        options.AggregatorAmqp.MaxAddress = "";
        options.Node.Port = port;
        options.Sensors.Count = sensors;
        options.Aggregator.Window = window;
        await using var node = await BenchNode.StartAsync(options, AggregatorHosting.Feature, SensorHosting.Feature);
        await Task.Delay(TimeSpan.FromSeconds(5));

        var samples = new List<double>();
        var recorder = node.System.ActorOf(Props.Create(() => new LatencyRecorder(samples)));
        node.Registry.Get<AggregatorActor>().Tell(new AggregatorProtocol.SubscribeWindows(recorder));
        await Task.Delay(measure);
        double[] sorted;
        lock (samples)
        {
            sorted = [.. samples.Order()];
        }

        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return $"| {sensors:N0} x {1 / interval.TotalSeconds:N0} Hz | {window.TotalMilliseconds:N0} ms | {sorted.Length} | {Percentile(0.5):F2} | {Percentile(0.99):F2} | {(sorted.Length == 0 ? double.NaN : sorted[^1]):F2} |";
    }

    private static ActorDemoOptions SensorNodeOptions(int routerPort, int seedPort, TimeSpan interval)
    {
        var options = new ActorDemoOptions();
        options.Amqp.Url = $"amqp://127.0.0.1:{routerPort}";
        options.Amqp.RouterPort = routerPort;
        options.Node.Port = BenchNode.FreePort();
        options.Node.Seeds = $"akka.tcp://actordemo@127.0.0.1:{seedPort}";
        options.Node.Name = "bench";
        options.Sensors.Count = 0;
        options.Sensors.Interval = interval;
        return options;
    }

    private static (long Managed, long WorkingSet) Memory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(false), self.WorkingSet64);
    }

    private sealed class LatencyRecorder : ReceiveActor
    {
        public LatencyRecorder(List<double> samples) =>
            Receive<AggregatorProtocol.WindowRecorded>(recorded =>
            {
                // From the close of the last share the singleton merged: the nominal end is earlier by the
                // time the window stage waits for the grouping to hand over the interval's last readings.
                var latency = (DateTimeOffset.UtcNow - recorded.Window.LastShareClosedAt()).TotalMilliseconds;
                lock (samples)
                {
                    samples.Add(latency);
                }
            });
    }
}
