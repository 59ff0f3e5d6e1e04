namespace ActorDemo.Testing.Routers;

/// <summary>
/// Debian's RabbitMQ (3.10) with its AMQP 1.0 plugin: a broker that stores what it is sent in
/// queues, addressed <c>/queue/NAME</c> (the plugin's prefix). Started for a test from a folder of
/// its own (its database, configuration, plugins and Erlang cookie) on free loopback ports (AMQP,
/// Erlang distribution, an epmd of its own), and removed with everything it started. SASL
/// ANONYMOUS is the broker's default user.
/// </summary>
public sealed class RabbitMqFixture : TestRouter
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string Epmd = "/usr/bin/epmd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _directory;
    private readonly int _epmdPort;
    private ExternalProcess _process;

    private RabbitMqFixture(int port, int epmdPort, string directory, ExternalProcess process)
    {
        Port = port;
        _epmdPort = epmdPort;
        _directory = directory;
        _process = process;
    }

    public override string Name => "RabbitMQ";

    public override int Port { get; }

    /// <summary>The AMQP 1.0 address of the queue <paramref name="name"/>, which the broker declares on first use.</summary>
    public static string Queue(string name) => $"/queue/{name}";

    public static async Task<RabbitMqFixture> StartAsync()
    {
        if (!File.Exists(Server))
        {
            throw new InvalidOperationException("RabbitMQ is not installed (apt-get install rabbitmq-server; ./test.sh does it as root).");
        }

        var (port, distributionPort, epmdPort) = (Loopback.FreePort(), Loopback.FreePort(), Loopback.FreePort());
        var directory = Directory.CreateTempSubdirectory("actordemo-rabbitmq-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{port}
            amqp1_0.default_user = guest
            log.console = true
            log.console.level = info
            log.file = false
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[rabbitmq_amqp1_0].");
        var fixture = new RabbitMqFixture(port, epmdPort, directory, await LaunchAsync(directory, port, distributionPort, epmdPort));
        return fixture;
    }

    /// <summary>
    /// Stops the broker as its service manager would (SIGTERM: it closes its queues' files) and starts
    /// it again with the same folder: durable queues keep their durable messages. Not a crash: killed
    /// (SIGKILL), it lost all 20 accepted messages of a queue declared and filled a moment before in 2
    /// of about 45 restarts on this loaded machine; that is RabbitMQ's own recovery, not what a client asks of it.
    /// </summary>
    public override async Task RestartAsync(Func<Task>? whileDown = null)
    {
        _process.Terminate();
        await _process.WaitForExitAsync(StartTimeout);
        await _process.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        _process = await LaunchAsync(_directory, Port, Loopback.FreePort(), _epmdPort);
    }

    protected override async ValueTask StopAsync()
    {
        await _process.DisposeAsync();
        // The epmd the broker started runs on as a daemon; it stops once no node is registered with it.
        await using (var epmd = ExternalProcess.Start(Epmd, ["-kill"], Environment(_directory, _epmdPort)))
        {
            await epmd.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<ExternalProcess> LaunchAsync(string directory, int port, int distributionPort, int epmdPort)
    {
        var environment = Environment(directory, epmdPort);
        environment["RABBITMQ_NODENAME"] = $"actordemo-{port}@localhost";
        environment["RABBITMQ_NODE_PORT"] = port.ToString();
        environment["RABBITMQ_DIST_PORT"] = distributionPort.ToString();
        environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia");
        environment["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log");
        environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf");
        environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config");
        environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins");
        environment["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid");
        // Erlang's distribution listens on loopback only, like everything else a test starts.
        environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
        var process = ExternalProcess.Start(Server, [], environment);
        try
        {
            await process.WaitForLineAsync(l => l.Contains("Server startup complete", StringComparison.Ordinal), StartTimeout);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return process;
    }

    private static Dictionary<string, string> Environment(string directory, int epmdPort) => new()
    {
        ["HOME"] = directory,
        ["ERL_EPMD_PORT"] = epmdPort.ToString(),
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
    };
}
