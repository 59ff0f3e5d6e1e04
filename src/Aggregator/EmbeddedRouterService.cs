using ActorDemo.Shared.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Aggregator;

/// <summary>
/// The embedded anycast router, for a node given no AMQP endpoint. Registered before the actor
/// system, so it is listening before the links attach and stops only after they closed.
/// </summary>
public sealed class EmbeddedRouterService(AnycastRouter router, ILogger<EmbeddedRouterService> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        router.Start();
        log.LogInformation("Embedded AMQP router listening on {Url} (no --amqp-url given)", router.Url);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await router.DisposeAsync();
}
