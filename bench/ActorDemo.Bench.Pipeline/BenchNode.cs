using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorDemo.Node.Hosting;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorDemo.Bench.Pipeline;

/// <summary>A node built exactly as the executables build it (NodeHosting.AddActorDemoNode), inside the benchmark process.</summary>
internal sealed class BenchNode : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchNode(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
        Registry = host.Services.GetRequiredService<ActorRegistry>();
    }

    public ActorSystem System { get; }

    public ActorRegistry Registry { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<BenchNode> StartAsync(ActorDemoOptions options, params NodeFeature[] roles)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddActorDemoNode(options, roles);
        var host = builder.Build();
        await host.StartAsync();
        var node = new BenchNode(host);
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(node.System).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The aggregator executable as a separate process: its own router, stream and singleton.</summary>
    public static Process StartAggregator(int routerPort, int remotingPort, params string[] extra)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "ActorDemo.Aggregator"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--router-port", routerPort.ToString(), "--port", remotingPort.ToString(), "--seeds", $"akka.tcp://actordemo@127.0.0.1:{remotingPort}" }.Concat(extra))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"aggregator: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
