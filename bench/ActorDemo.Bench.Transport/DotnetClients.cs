using System.Diagnostics;
using System.Text;
using ActorDemo.Amqp;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Amqp;
using Amqp.Framing;
using Source = Akka.Streams.Dsl.Source;
using Amqp.Sasl;

namespace ActorDemo.Bench.Transport;

/// <summary>
/// The .NET sides of a run: ActorDemo's stages (at-least-once, at-most-once) or plain AMQPNetLite,
/// sending the 100-byte JSON reading of the wire format, or receiving and accepting. The receiver
/// times from its first message after the warm-up to its last, and prints
/// <c>received COUNT SECONDS</c>; a sender prints <c>sent COUNT presettled COUNT</c>.
/// </summary>
internal static class DotnetClients
{
    public const string Address = "temperature";
    private const int Window = 1000;

    /// <summary>At-most-once may lose messages: the receiver ends once none came for this long.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(
        """{"device-id":"sensor-node1-0007","temperature":22.4,"timestamp":"2026-11-25T07:40:05.123Z","seq":42}""");

    public static async Task<int> SendAsync(string client, string url, string address, int messages)
    {
        if (client == Runs.PlainAmqpNetLite)
        {
            await SendPlainAsync(url, address, messages);
            Console.WriteLine($"sent {messages} presettled 0");
            return 0;
        }

        using var system = ActorSystem.Create("bench-sender", "akka.loglevel = WARNING");
        var settings = new AmqpSinkSettings(AmqpEndpoint.Create(url), address) { MaxInFlight = Window, Delivery = Delivery(client) };
        var (completion, metrics) = Source.Repeat(0).Take(messages).Select(_ => Reading())
            .RunWith(AmqpSink.Create(settings), system.Materializer());
        await completion;
        Console.WriteLine($"sent {metrics.Sent} presettled {metrics.Presettled}");
        await system.Terminate();
        return 0;
    }

    public static async Task<int> ReceiveAsync(string client, string url, string address, int messages, int warmup)
    {
        var clock = new ArrivalClock(warmup);
        if (client == Runs.PlainAmqpNetLite)
        {
            await ReceivePlainAsync(url, address, messages, clock);
        }
        else
        {
            using var system = ActorSystem.Create("bench-receiver", "akka.loglevel = WARNING");
            var metrics = AmqpSource.Create(new AmqpSourceSettings(AmqpEndpoint.Create(url), address) { Credit = Window })
                .ToMaterialized(
                    Sink.ForEach<ReceivedMessage>(m =>
                    {
                        m.Accept();
                        clock.Arrived();
                    }),
                    Keep.Left)
                .Run(system.Materializer());
            while (metrics.State != LinkStatus.Attached)
            {
                await Task.Delay(10);
            }

            Console.WriteLine("ready");
            await clock.EndAsync(messages, Delivery(client) == DeliveryMode.AtMostOnce ? Quiet : null);
            await system.Terminate();
        }

        Console.WriteLine($"received {clock.Counted} {clock.Elapsed.TotalSeconds:F3}");
        return 0;
    }

    private static DeliveryMode Delivery(string client) => client switch
    {
        Runs.StagesAtLeastOnce => DeliveryMode.AtLeastOnce,
        Runs.StagesAtMostOnce => DeliveryMode.AtMostOnce,
        _ => throw new ArgumentException($"Unknown client '{client}'."),
    };

    private static Message Reading() => new()
    {
        Properties = new Properties { ContentType = "application/json" },
        BodySection = new Data { Binary = Payload },
    };

    private static Task<Connection> ConnectAsync(string url)
    {
        var factory = new ConnectionFactory();
        factory.SASL.Profile = SaslProfile.Anonymous;
        return factory.CreateAsync(new global::Amqp.Address(url));
    }

    /// <summary>A window of unsettled sends, each outcome freeing a place: AMQPNetLite at its plainest.</summary>
    private static async Task SendPlainAsync(string url, string address, int messages)
    {
        var connection = await ConnectAsync(url);
        var sender = new SenderLink(new Session(connection), "bench-sender", address);
        using var window = new SemaphoreSlim(Window);
        var settled = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OutcomeCallback onOutcome = (_, _, _, _) =>
        {
            window.Release();
            if (Interlocked.Increment(ref settled) == messages)
            {
                all.TrySetResult();
            }
        };
        for (var i = 0; i < messages; i++)
        {
            await window.WaitAsync();
            sender.Send(Reading(), onOutcome, null);
        }

        await all.Task;
        await connection.CloseAsync();
    }

    private static async Task ReceivePlainAsync(string url, string address, int messages, ArrivalClock clock)
    {
        var connection = await ConnectAsync(url);
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = new ReceiverLink(new Session(connection), "bench-receiver", new global::Amqp.Framing.Source { Address = address }, (_, _) => attached.TrySetResult());
        await attached.Task;
        receiver.Start(Window, (link, message) =>
        {
            link.Accept(message);
            clock.Arrived();
        });
        Console.WriteLine("ready");
        await clock.EndAsync(messages, null);
        await connection.CloseAsync();
    }

    /// <summary>Counts arrivals and times those after the warm-up, from the first to the last.</summary>
    private sealed class ArrivalClock(int warmup)
    {
        private readonly Stopwatch _clock = new();
        private long _arrived;
        private long _lastTicks;

        public long Counted => Math.Max(0, Interlocked.Read(ref _arrived) - warmup);

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _lastTicks));

        public void Arrived()
        {
            if (Interlocked.Increment(ref _arrived) == warmup + 1)
            {
                _clock.Start();
            }

            Interlocked.Exchange(ref _lastTicks, _clock.Elapsed.Ticks);
        }

        /// <summary>When <paramref name="messages"/> were counted, or, with <paramref name="quiet"/>, once none came for that long.</summary>
        public async Task EndAsync(int messages, TimeSpan? quiet)
        {
            long seen = -1;
            var still = Stopwatch.StartNew();
            while (Counted < messages)
            {
                await Task.Delay(50);
                var arrived = Interlocked.Read(ref _arrived);
                if (arrived != seen)
                {
                    (seen, still) = (arrived, Stopwatch.StartNew());
                }
                else if (quiet is { } limit && arrived > warmup && still.Elapsed > limit)
                {
                    return;
                }
            }
        }
    }
}
