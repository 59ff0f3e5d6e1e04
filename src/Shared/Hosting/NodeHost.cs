using System.CommandLine;
using System.Net;
using System.Text.RegularExpressions;
using ActorDemo.Shared.Health;
using ActorDemo.Shared.Inspection;
using ActorDemo.Shared.Observability;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ActorDemo.Shared.Hosting;

/// <summary>
/// Runs a node: flags, appsettings.json and environment into <see cref="ActorDemoOptions"/>, then
/// one actor system <c>actordemo</c> with remoting, cluster (split brain resolver keep-oldest among aggregators) and the roles, until
/// SIGTERM or Ctrl+C, which leave the cluster gracefully through CoordinatedShutdown.
/// </summary>
public static partial class NodeHost
{
    public const int InvalidOptions = 2;

    public const int StartFailed = 1;

    /// <param name="executableDefaults">Configuration under appsettings.json: where one executable's default differs from the other's.</param>
    public static Task<int> RunAsync(
        string[] args,
        string description,
        Func<ActorDemoOptions, IReadOnlyList<NodeFeature>> roles,
        IReadOnlyList<IInspectionModule> inspection,
        IReadOnlyDictionary<string, string?>? executableDefaults = null)
    {
        if (args.FirstOrDefault() == InspectionClient.CommandName)
        {
            return InspectionClient.RunAsync(args[1..], Console.Out, Console.Error);
        }

        executableDefaults ??= new Dictionary<string, string?>();
        var defaults = NodeConfiguration.Bind(new ConfigurationBuilder().AddInMemoryCollection(executableDefaults).Build()).Options;
        var command = NodeCommandLine.Create(description, defaults, (flags, cancellation) => RunHostAsync(executableDefaults, flags, roles, inspection, cancellation));
        var parse = command.Parse(args);
        // The host handles SIGTERM and Ctrl+C with a graceful leave; System.CommandLine's own handler would
        // end the process with status 143 two seconds into that leave.
        return parse.Errors.Count > 0
            ? Refuse(parse.Errors.Select(error => error.Message))
            : parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static async Task<int> RunHostAsync(
        IReadOnlyDictionary<string, string?> executableDefaults,
        IReadOnlyDictionary<string, string?> flags,
        Func<ActorDemoOptions, IReadOnlyList<NodeFeature>> chooseRoles,
        IReadOnlyList<IInspectionModule> inspection,
        CancellationToken cancellation)
    {
        WebApplicationBuilder builder;
        try
        {
            builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        }
        catch (InvalidDataException e)
        {
            // appsettings.json that does not parse: the file and the parser's position, not a stack trace.
            var cause = e.InnerException?.InnerException ?? e.InnerException;
            return await Refuse([$"{e.Message} {cause?.Message} Fix its JSON, or remove it: every setting also has a flag and an environment variable."]);
        }

        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = executableDefaults });
        builder.Configuration.AddInMemoryCollection(flags);
        builder.Logging.ClearProviders();
        // The host logs a failed start with its stack trace; RunHostAsync prints it in one line instead.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var (options, problems) = NodeConfiguration.Bind(builder.Configuration);
        if (problems.Count > 0)
        {
            return await Refuse(problems.Select(problem => problem.ToString()));
        }

        builder.Logging.AddConsole(console => console.FormatterName = options.Node.LogFormat == LogFormat.Json ? NodeJsonFormatter.Name : NodeConsoleFormatter.Name);
        builder.Logging.AddConsoleFormatter<NodeConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        builder.Logging.AddConsoleFormatter<NodeJsonFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();

        if (EndpointProbe.Unavailable(options) is { } unavailable)
        {
            await Console.Error.WriteLineAsync(unavailable);
            return StartFailed;
        }

        var roles = chooseRoles(options);
        AddNode(builder.Services, options, roles);
        NodeTelemetry.Add(builder.Services, $"actordemo-{string.Join('-', roles.Select(role => role.Role))}");
        builder.Services.AddHealthChecks();
        // A request that does not bind throws, so that the inspection endpoint answers it with JSON that says why.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.WebHost.UseKestrel(kestrel =>
        {
            var inspection = IPAddress.Parse(options.Inspection.Hostname);
            kestrel.Listen(inspection, options.Inspection.Port);
            if (!IPAddress.IsLoopback(inspection) && !inspection.Equals(IPAddress.Any) && !inspection.Equals(IPAddress.IPv6Any) && options.Inspection.Port != 0)
            {
                // Bound to a pod's IP: loopback too, which kubectl port-forward and exec reach.
                kestrel.Listen(IPAddress.Loopback, options.Inspection.Port);
            }
            kestrel.Listen(IPAddress.Parse(options.Management.Hostname), options.Management.Port);
        });

        await using var host = builder.Build();
        HealthEndpoints.Map(host, options.Management.Port);
        NodeTelemetry.Map(host, options.Management.Port);
        ClusterFormation.MapSeedNodes(host);
        InspectionEndpoints.Map(host, options.Inspection, inspection);
        try
        {
            await host.StartAsync(cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"The node could not start: {Explain(e)}");
            return StartFailed;
        }

        var inspectionUrl = host.Urls.Select(url => new Uri(url)).FirstOrDefault(url => url.Port != options.Management.Port || options.Inspection.Port == options.Management.Port);
        if (inspectionUrl is not null)
        {
            var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ActorDemo.Inspection");
            foreach (var module in inspection)
            {
                module.Started(log, inspectionUrl);
            }
        }

        await host.WaitForShutdownAsync(cancellation);
        // Downed by the split brain resolver, or stopped by the cluster: the status says so (Akka's exit
        // code), so that a supervisor restarts the node; a shutdown that was asked for exits 0.
        return CoordinatedShutdown.Get(host.Services.GetRequiredService<ActorSystem>()).ShutdownReason?.ExitCode ?? 0;
    }

    /// <summary>
    /// Adds a node with <paramref name="roles"/> to a host's services: the options, each role's
    /// services, and the actor system with remoting, cluster (split brain resolver keep-oldest among aggregators) and the roles' actors.
    /// </summary>
    public static void AddNode(IServiceCollection services, ActorDemoOptions options, IReadOnlyList<NodeFeature> roles)
    {
        services.AddSingleton(options);
        services.AddSingleton<AmqpLinks>();
        services.AddMetrics();
        services.AddSingleton<NodeMeter>();
        foreach (var role in roles)
        {
            role.AddServices(services, options);
        }

        services.AddAkka(NodeOptions.SystemName, (akka, provider) =>
        {
            akka.ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                .WithRemoting(new RemoteOptions
                {
                    HostName = options.Node.Hostname,
                    Port = options.Node.Port,
                    PublicHostName = options.Node.PublicHostname,
                })
                .WithClustering(new ClusterOptions
                {
                    Roles = roles.Select(role => role.Role).ToArray(),
                    SeedNodes = ClusterFormation.StaticSeeds(options).ToArray(),
                    // The oldest node's side survives a partition, unless the oldest is alone: then the
                    // others go on without it. So one node killed, even the singleton's host, never takes
                    // the rest down (from three members up; of two, the one left cannot tell and downs itself).
                    SplitBrainResolver = new KeepOldestOption { DownIfAlone = true },
                })
                .AddHocon($"akka.cluster.split-brain-resolver.stable-after = {NodeOptions.StableAfter.TotalSeconds}s", HoconAddMode.Prepend)
                // Akka.NET 1.5.73's singleton proxies warn at start-up, before the node is even Up, that
                // they found no singleton "after 30 seconds"; readiness and the window log say it better.
                .AddHocon("akka.cluster.singleton-proxy.log-singleton-identification-failure = off", HoconAddMode.Prepend)
                .WithActors((system, _) =>
                {
                    system.ActorOf(MembershipLog.Props(), "membership-log");
                    provider.GetRequiredService<NodeMeter>().ObserveCluster(system);
                });
            akka.WithNodeHealthChecks();
            ClusterFormation.Configure(akka, options);
            foreach (var role in roles)
            {
                role.AddActors(akka, options, provider);
            }
        });
    }

    /// <summary>Prints what is wrong with the command line or the configuration; the node does not start.</summary>
    private static async Task<int> Refuse(IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync(problem);
        }

        await Console.Error.WriteLineAsync("Run with --help to list the options.");
        return InvalidOptions;
    }

    // Our own exceptions say what to do; the socket errors beneath them do not.
    private static string Explain(Exception e) => e is AggregateException { InnerException: { } inner } ? Explain(inner) : e.Message;
}
