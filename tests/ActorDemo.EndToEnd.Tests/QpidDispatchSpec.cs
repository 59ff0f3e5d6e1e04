using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>
/// Specs of the executables against the real router: Apache Qpid Dispatch Router started with the
/// qdrouterd.conf that deploy/k8s/router ships (only its listeners moved to loopback), as EnMasse's
/// standard address spaces and the router overlay run it. Everything started is stopped afterwards,
/// newest first.
/// </summary>
public abstract class QpidDispatchSpec(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IAsyncLifetime
{
    protected static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);
    private readonly Stack<IAsyncDisposable> _running = new();

    protected QpidDispatchFixture Router { get; private set; } = null!;

    /// <summary>The executables, every one pointed at <see cref="Router"/>.</summary>
    protected Nodes Nodes { get; private set; } = null!;

    /// <summary>Where the nodes given <see cref="ReadingLedgers.Flag"/> keep their reading ledgers.</summary>
    protected ReadingLedgers Ledgers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Router = Started(await QpidDispatchFixture.StartRouterOverlayAsync());
        Ledgers = Started(new ReadingLedgers());
        Nodes = Started(new Nodes(Router.Url, line => Output?.WriteLine(line)));
    }

    public async Task DisposeAsync()
    {
        while (_running.TryPop(out var running))
        {
            await running.DisposeAsync();
        }
    }

    /// <summary>By the nodes' ledgers, every reading the sensors saw accepted stands in a window on <c>max</c>; says how many were counted twice.</summary>
    protected async Task<Reconciliation> EveryAcceptedReadingStandsAsync(WindowMaxima maxima, long accepted)
    {
        var reconciled = await Ledgers.EveryAcceptedReadingStandsAsync(maxima, accepted, Formation);
        Output!.WriteLine($"reconciled: {reconciled}");
        return reconciled;
    }

    /// <summary>Stops <paramref name="running"/> after the spec, before what was started earlier.</summary>
    protected T Started<T>(T running)
        where T : IAsyncDisposable
    {
        _running.Push(running);
        return running;
    }
}
