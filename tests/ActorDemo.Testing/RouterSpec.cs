using ActorDemo.Testing.Routers;
using Akka.Streams;
using Akka.Streams.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Testing;

/// <summary>
/// A spec with an actor system, a materializer and a real embedded router on a free loopback
/// port, all stopped after each test. Every spec ends as Akka.Streams' own stage specs do: the
/// materializer stops whatever still runs, and every stage must then be gone within 5 s (a stage
/// that hangs on stopping would keep its AMQP link).
/// </summary>
public abstract class RouterSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    protected const string Address = "temperature";
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    protected RouterSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output) => Materializer = Sys.Materializer();

    protected EmbeddedRouterFixture Router { get; } = new();

    protected IMaterializer Materializer { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        try
        {
            await this.AssertAllStagesStoppedAsync(() => Task.CompletedTask, Materializer);
        }
        finally
        {
            await Router.DisposeAsync();
        }
    }
}
