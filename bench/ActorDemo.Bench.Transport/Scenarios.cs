using System.Diagnostics;
using ActorDemo.Shared.Amqp;
using ActorDemo.Shared.Routing;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Amqp;
using Data = Amqp.Framing.Data;
using Properties = Amqp.Framing.Properties;
using Amqp.Sasl;

namespace ActorDemo.Bench.Transport;

internal static partial class Scenarios
{
    private const string Address = "temperature";
    private const int Window = 1000;

    public static readonly string[] Names = ["stages-at-least-once", "stages-at-most-once", "plain-amqpnetlite"];

    public static async Task<Result> RunAsync(string scenario, int messages)
    {
        var port = FreePort();
        var router = new AnycastRouter(new RouterOptions { Port = port });
        router.Start();
        try
        {
            var run = scenario switch
            {
                "stages-at-least-once" => (Func<int, Task<TimeSpan>>)(n => Stages(router.Url, n, DeliveryMode.AtLeastOnce)),
                "stages-at-most-once" => n => Stages(router.Url, n, DeliveryMode.AtMostOnce),
                "plain-amqpnetlite" => n => Plain(port, n),
                _ => throw new ArgumentException($"Unknown scenario '{scenario}'; use one of {string.Join(", ", Names)}."),
            };

            await run(Math.Min(20_000, messages)); // warm-up: JIT and connection set-up stay out of the figure
            return new Result(scenario, messages, await run(messages));
        }
        finally
        {
            await router.DisposeAsync();
        }
    }

    private static Message Reading() => new()
    {
        Properties = new Properties { ContentType = "application/json" },
        BodySection = new Data { Binary = Payload },
    };

    private static async Task<TimeSpan> Stages(string url, int messages, DeliveryMode mode)
    {
        using var system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
        var materializer = system.Materializer();
        var endpoint = AmqpEndpoint.Create(url);
        var metrics = new AmqpLinkMetrics();

        var received = AmqpSource.Create(new AmqpSourceSettings(endpoint, Address) { Credit = Window }, metrics)
            .Select(m => m.Accept())
            .Take(messages)
            .RunWith(Sink.Ignore<bool>(), materializer);
        while (metrics.State != LinkStatus.Attached)
        {
            await Task.Delay(10);
        }

        var clock = Stopwatch.StartNew();
        var sent = Source.Repeat(0).Take(messages).Select(_ => Reading())
            .RunWith(AmqpSink.Create(new AmqpSinkSettings(endpoint, Address) { MaxInFlight = Window, Delivery = mode }), materializer);
        await Task.WhenAll(received, sent).WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        await system.Terminate();
        return elapsed;
    }

    /// <summary>The same traffic with AMQPNetLite alone: a window of unsettled sends and an accepting receiver.</summary>
    private static async Task<TimeSpan> Plain(int port, int messages)
    {
        var factory = new ConnectionFactory();
        factory.SASL.Profile = SaslProfile.Anonymous;
        var address = new Amqp.Address("127.0.0.1", port, null, null, "/", "amqp");
        var receiving = await factory.CreateAsync(address);
        var sending = await factory.CreateAsync(address);
        var receivedAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var settledAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var settled = 0;

        var receiver = new ReceiverLink(new Session(receiving), "bench-receiver", Address);
        receiver.Start(Window, (link, message) =>
        {
            link.Accept(message);
            if (Interlocked.Increment(ref received) == messages)
            {
                receivedAll.TrySetResult();
            }
        });

        var sender = new SenderLink(new Session(sending), "bench-sender", Address);
        using var window = new SemaphoreSlim(Window);
        OutcomeCallback onOutcome = (_, _, _, _) =>
        {
            window.Release();
            if (Interlocked.Increment(ref settled) == messages)
            {
                settledAll.TrySetResult();
            }
        };

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            await window.WaitAsync();
            sender.Send(Reading(), onOutcome, null);
        }

        await Task.WhenAll(receivedAll.Task, settledAll.Task).WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        await sending.CloseAsync();
        await receiving.CloseAsync();
        return elapsed;
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
