namespace ActorDemo.Testing.Routers;

/// <summary>
/// Apache Qpid Dispatch Router, the router EnMasse deploys, as a real process on free loopback
/// ports with a configuration written for the test; killed afterwards.
/// </summary>
public sealed class QpidDispatchFixture : TestRouter
{
    /// <summary>Names a <c>qdrouterd</c> executable (or a script that runs one) to use instead of the search.</summary>
    public const string ExecutableVariable = "ACTORDEMO_QDROUTERD";

    /// <summary>The first start of the shared script compiles the router (about a minute on 2 cores).</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly string _directory;
    private readonly Network.LabHost? _host;
    private ExternalProcess _process;

    private QpidDispatchFixture(int port, string directory, ExternalProcess process, Network.LabHost? host = null)
    {
        Port = port;
        _directory = directory;
        _process = process;
        _host = host;
    }

    public override string Name => "Qpid Dispatch";

    public override int Port { get; }

    /// <summary>The router's process (or the script that runs it), for benchmarks that measure it.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the router printed, for specs that read its log.</summary>
    public IReadOnlyList<string> Lines => _process.Lines;

    /// <summary>Starts a router with <paramref name="config"/> whose AMQP listener is on <paramref name="port"/>.</summary>
    public static async Task<QpidDispatchFixture> StartAsync(int port, string config)
    {
        var directory = Directory.CreateTempSubdirectory("actordemo-qdrouterd-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "qdrouterd.conf"), config);
        var router = new QpidDispatchFixture(port, directory, await LaunchAsync(directory, port));
        return router;
    }

    /// <summary>
    /// The router of <c>deploy/k8s/router</c> exactly as it ships (listeners on every interface, AMQP
    /// on 5672), inside a host of a network lab, as its pod would run it.
    /// </summary>
    public static async Task<QpidDispatchFixture> StartInAsync(Network.LabHost host)
    {
        const int Port = 5672;
        var directory = Directory.CreateTempSubdirectory("actordemo-qdrouterd-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "qdrouterd.conf"), QpidDispatchConfig.RouterOverlayAsShipped());
        return new QpidDispatchFixture(Port, directory, await LaunchAsync(directory, Port, host), host);
    }

    /// <summary>The URL clients reach it at: on loopback, or at its lab host's address.</summary>
    public string ReachableUrl => _host is null ? Url : $"amqp://{_host.Address}:{Port}";

    /// <summary>The router of <c>deploy/k8s/router</c>, as it ships but for its listeners.</summary>
    public static Task<QpidDispatchFixture> StartRouterOverlayAsync()
    {
        var port = Loopback.FreePort();
        return StartAsync(port, QpidDispatchConfig.RouterOverlay(port, Loopback.FreePort()));
    }

    /// <summary>A standalone router with a <c>balanced</c> (anycast) address for each prefix given.</summary>
    public static Task<QpidDispatchFixture> StartStandaloneAsync(params string[] addresses)
    {
        var port = Loopback.FreePort();
        return StartAsync(port, QpidDispatchConfig.Standalone(port, addresses));
    }

    public override async Task RestartAsync(Func<Task>? whileDown = null)
    {
        _process.Kill();
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await _process.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        _process = await LaunchAsync(_directory, Port, _host);
    }

    protected override async ValueTask StopAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// Where <c>qdrouterd</c> comes from: <see cref="ExecutableVariable"/>, then <c>qdrouterd</c> on
    /// the PATH (a distribution's package), then the build script of <c>shared/tools</c> beside the repository.
    /// </summary>
    public static string FindExecutable()
    {
        var named = Environment.GetEnvironmentVariable(ExecutableVariable);
        if (!string.IsNullOrEmpty(named))
        {
            return File.Exists(named)
                ? named
                : throw new InvalidOperationException($"{ExecutableVariable}={named} names no file; point it at a qdrouterd executable.");
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "qdrouterd"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        var script = Path.GetFullPath(Path.Combine(BuiltExecutables.RepositoryRoot, "..", "shared", "tools", "qdrouterd"));
        return File.Exists(script)
            ? script
            : throw new InvalidOperationException(
                "Apache Qpid Dispatch Router (qdrouterd) was not found, and these tests need the real router. " +
                $"Install your distribution's qpid-dispatch-router package so that qdrouterd is on the PATH, set {ExecutableVariable} " +
                $"to a qdrouterd executable, or keep the shared/ folder (tools/qdrouterd builds it from source) beside the repository; ./test.sh does the rest.");
    }

    private static async Task<ExternalProcess> LaunchAsync(string directory, int port, Network.LabHost? host = null)
    {
        string[] arguments = ["--config", Path.Combine(directory, "qdrouterd.conf")];
        var process = host is null ? ExternalProcess.Start(FindExecutable(), arguments, new Dictionary<string, string>()) : host.Start(FindExecutable(), arguments);
        try
        {
            await process.WaitForLineAsync(l => (l.Contains("Listening on ", StringComparison.Ordinal) && l.Contains($":{port}", StringComparison.Ordinal)) || l.Contains("(critical)", StringComparison.Ordinal), StartTimeout);
            if (process.Lines.FirstOrDefault(l => l.Contains("(critical)", StringComparison.Ordinal)) is { } critical)
            {
                throw new InvalidOperationException($"qdrouterd did not start: {critical}\n{string.Join('\n', process.Lines)}");
            }
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return process;
    }
}
