using System.CommandLine;
using ActorDemo.Node.Inspection;
using ActorDemo.Node.Observability;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// The entry point of both executables: <c>cmd</c> runs the inspection client; anything else runs a
/// node with the options of flags, appsettings.json and environment, until SIGTERM or Ctrl+C, which
/// leave the cluster gracefully through CoordinatedShutdown.
/// </summary>
public static class NodeHost
{
    public const int InvalidOptions = 2;

    public const int StartFailed = 1;

    public static Task<int> RunAsync(string[] args, NodeExecutable executable)
    {
        if (args.FirstOrDefault() == InspectionClient.CommandName)
        {
            return InspectionClient.RunAsync(args[1..], executable.Commands, Console.Out, Console.Error);
        }

        var command = NodeCommandLine.Create(executable.Options, executable.Description, executable.DefaultOptions(), (flags, cancellation) => RunNodeAsync(executable, flags, cancellation));
        var parse = command.Parse(args);
        // The host handles SIGTERM and Ctrl+C with a graceful leave; System.CommandLine's own handler would
        // end the process with status 143 two seconds into that leave.
        return parse.Errors.Count > 0
            ? Refuse(parse.Errors.Select(error => error.Message))
            : parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static async Task<int> RunNodeAsync(NodeExecutable executable, IReadOnlyDictionary<string, string?> flags, CancellationToken cancellation)
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

        builder.Configuration.AddInMemoryCollection(flags);
        var (options, problems) = NodeConfiguration.Bind(builder.Configuration, executable.Options, executable.DefaultOptions());
        if (problems.Count > 0)
        {
            return await Refuse(problems.Select(problem => problem.ToString()));
        }

        ConfigureLogging(builder.Logging, options.Node.LogFormat);
        if (EndpointProbe.Unavailable(options) is { } unavailable)
        {
            await Console.Error.WriteLineAsync(unavailable);
            return StartFailed;
        }

        var features = executable.Features(options);
        builder.Services.AddActorDemoNode(options, features);
        NodeTelemetry.Add(builder.Services, $"actordemo-{string.Join('-', features.Select(feature => feature.Role))}");
        NodeEndpoints.Listen(builder, options);

        await using var host = builder.Build();
        NodeEndpoints.Map(host, options, executable.Inspection);
        try
        {
            await host.StartAsync(cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"The node could not start: {Explain(e)}");
            return StartFailed;
        }

        NodeEndpoints.LogStarted(host, options, executable.Inspection);
        await host.WaitForShutdownAsync(cancellation);
        // Downed by the split brain resolver, or stopped by the cluster: the status says so (Akka's exit
        // code), so that a supervisor restarts the node; a shutdown that was asked for exits 0.
        return CoordinatedShutdown.Get(host.Services.GetRequiredService<ActorSystem>()).ShutdownReason?.ExitCode ?? 0;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogFormat format)
    {
        logging.ClearProviders();
        // The host logs a failed start with its stack trace; RunNodeAsync prints it in one line instead.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Every probe of an unready node would log an error: /ready answers the reasons, and the node
        // logs the links' and the cluster's own changes once each.
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None);
        logging.AddConsole(console => console.FormatterName = format == LogFormat.Json ? NodeJsonFormatter.Name : NodeConsoleFormatter.Name);
        logging.AddConsoleFormatter<NodeConsoleFormatter, ConsoleFormatterOptions>();
        logging.AddConsoleFormatter<NodeJsonFormatter, ConsoleFormatterOptions>();
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
