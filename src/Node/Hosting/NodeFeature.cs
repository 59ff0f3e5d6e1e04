using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// A feature a node runs, by its Akka.Hosting extensions: the cluster role it takes, the services it
/// adds to the host, and what it adds to the actor system. The executables and the benchmarks build
/// their nodes from these; a host of one's own can call the extensions themselves.
/// </summary>
public sealed record NodeFeature(
    string Role,
    Action<IServiceCollection, ActorDemoOptions> AddServices,
    Func<AkkaConfigurationBuilder, ActorDemoOptions, IServiceProvider, AkkaConfigurationBuilder> AddActors);
