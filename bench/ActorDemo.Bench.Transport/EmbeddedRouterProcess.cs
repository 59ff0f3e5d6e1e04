using ActorDemo.Amqp.Routing;

namespace ActorDemo.Bench.Transport;

/// <summary>The embedded router in a process of its own, as Qpid Dispatch runs, so that neither shares a process with the clients.</summary>
internal static class EmbeddedRouterProcess
{
    public static async Task<int> ServeAsync(int port)
    {
        var router = new AnycastRouter(new RouterOptions { Port = port });
        router.Start();
        Console.WriteLine("ready");
        using var stop = new CancellationTokenSource();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await router.DisposeAsync();
        return 0;
    }
}
