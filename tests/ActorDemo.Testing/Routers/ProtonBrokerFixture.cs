namespace ActorDemo.Testing.Routers;

/// <summary>
/// Apache Qpid Proton's C example broker (built once from Debian's examples): queues in memory, one
/// per address, no prefix. Started for a test on a free loopback port and stopped after it.
/// </summary>
public sealed class ProtonBrokerFixture : TestRouter
{
    private ExternalProcess _process;

    private ProtonBrokerFixture(int port, ExternalProcess process)
    {
        Port = port;
        _process = process;
    }

    public override string Name => "Proton example broker";

    public override int Port { get; }

    public static async Task<ProtonBrokerFixture> StartAsync()
    {
        var port = Loopback.FreePort();
        return new ProtonBrokerFixture(port, await LaunchAsync(port));
    }

    /// <summary>Stops the broker and starts it again on the same port; it keeps nothing (its queues are in memory).</summary>
    public override async Task RestartAsync(Func<Task>? whileDown = null)
    {
        await _process.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        _process = await LaunchAsync(Port);
    }

    protected override ValueTask StopAsync() => _process.DisposeAsync();

    private static async Task<ExternalProcess> LaunchAsync(int port)
    {
        var process = ExternalProcess.Start(await ProtonExamples.BuildAsync("broker"), "127.0.0.1", port.ToString());
        try
        {
            await process.WaitForLineAsync(l => l.StartsWith("listening on", StringComparison.Ordinal));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return process;
    }
}
