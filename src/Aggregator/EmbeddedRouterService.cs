using ActorDemo.Amqp.Routing;
using Microsoft.Extensions.Hosting;

namespace ActorDemo.Aggregator;

/// <summary>
/// The embedded anycast router, for a node given no AMQP endpoint. Registered before the actor
/// system, so it is listening before the links attach and stops only after they closed.
/// </summary>
public sealed class EmbeddedRouterService(AnycastRouter router) : IHostedService
{
    /// <remarks>The router logs where it listens itself.</remarks>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        router.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await router.DisposeAsync();
}
