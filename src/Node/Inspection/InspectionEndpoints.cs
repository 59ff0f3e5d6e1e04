using System.Text.Json;
using System.Threading.Channels;
using ActorDemo.Node.Links;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ActorDemo.Node.Inspection;

/// <summary>
/// The inspection endpoint every node serves (port 9110): the cluster, following Akka Management's
/// cluster HTTP API (<c>GET /cluster/members</c>, <c>PUT /cluster/members/{address}</c> with an
/// operation of leave or down, <c>POST /cluster/members</c> to join), the actor hierarchy, this node's
/// AMQP links, and what the role modules add. Errors are JSON <c>{"error": "..."}</c>.
/// </summary>
public static class InspectionEndpoints
{
    public static void Map(WebApplication app, InspectionOptions options, IReadOnlyList<IInspectionModule> modules)
    {
        app.Use(new InspectionAccess(options).Guard);
        // Every view asks actors; one that does not answer (a singleton moving, a node going) is a 503 that says so.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (AskTimeoutException e) when (!context.Response.HasStarted)
            {
                await Error(StatusCodes.Status503ServiceUnavailable, $"The cluster did not answer in time ({e.Message}); try again.").ExecuteAsync(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                // A query value of the wrong kind, or a body too large: the caller learns which, not an empty answer.
                await Error(e.StatusCode, $"Bad request: {e.Message} The commands and their arguments: cmd help.").ExecuteAsync(context);
            }
            catch (InvalidDataException e) when (!context.Response.HasStarted)
            {
                await Error(StatusCodes.Status400BadRequest, $"Bad request body: {e.Message} The routes take small forms or query values.").ExecuteAsync(context);
            }
        });
        app.MapGet("/cluster/members", (ActorSystem system) => Results.Ok(ClusterView.Of(Cluster.Get(system))));
        app.MapGet("/cluster/members/{address}", (string address, ActorSystem system) =>
            ClusterView.Find(Cluster.Get(system), address) is { } member ? Results.Ok(ClusterView.Describe(member)) : NoSuchMember(address));
        app.MapPut("/cluster/members/{address}", async (string address, HttpRequest request, ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            var operation = (await FormValue(request, "operation"))?.ToLowerInvariant();
            if (ClusterView.Find(cluster, address) is not { } member)
            {
                return NoSuchMember(address);
            }

            switch (operation)
            {
                case "leave":
                    cluster.Leave(member.Address);
                    return Results.Ok(new { message = $"Leaving {member.Address}" });
                case "down":
                    cluster.Down(member.Address);
                    return Results.Ok(new { message = $"Downing {member.Address}" });
                default:
                    return Error(StatusCodes.Status400BadRequest, $"Unknown operation '{operation}'; use leave or down.");
            }
        });
        app.MapPost("/cluster/members", async (HttpRequest request, ActorSystem system) =>
        {
            var text = await FormValue(request, "address");
            if (!ClusterView.TryParseAddress(text, out var address))
            {
                return Error(StatusCodes.Status400BadRequest, $"'{text}' is not a node address; write akka.tcp://actordemo@HOST:PORT.");
            }

            var cluster = Cluster.Get(system);
            if (address.System != system.Name)
            {
                return Error(StatusCodes.Status400BadRequest, $"'{address}' is a node of actor system '{address.System}'; this node's cluster is '{system.Name}'.");
            }

            if (cluster.State.Members.Any(m => m.Address == address) && cluster.State.Members.Any(m => m.UniqueAddress == cluster.SelfUniqueAddress))
            {
                return Results.Ok(new { message = $"Already in the cluster of {address}" });
            }

            if (cluster.State.Members.Any(m => m.UniqueAddress == cluster.SelfUniqueAddress))
            {
                // Akka ignores a join once the node is a member; a 200 would say it had moved.
                return Error(StatusCodes.Status409Conflict, $"This node is already a member of a cluster of {cluster.State.Members.Count}, which {address} is not part of; a node joins once. To move it, make it leave (cmd cluster leave) and start it again with --seeds {address}.");
            }

            cluster.Join(address);
            return Results.Ok(new { message = $"Joining {address}" });
        });
        app.MapPost("/cluster/down-unreachable", (ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            var unreachable = cluster.State.Unreachable.Select(member => member.Address).ToList();
            foreach (var address in unreachable)
            {
                cluster.Down(address);
            }

            return Results.Ok(new { message = unreachable.Count == 0 ? "No unreachable member." : $"Downing {string.Join(", ", unreachable)}", downed = unreachable.Select(a => a.ToString()) });
        });
        app.MapGet("/cluster/events", (HttpContext context, ActorSystem system) =>
            Stream(context, system, ClusterView.Describe, relay => Cluster.Get(system).Subscribe(
                relay,
                ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IMemberEvent),
                typeof(ClusterEvent.IReachabilityEvent))));
        app.MapGet("/actors", (int? depth, ActorSystem system) => Results.Ok(ActorTree.Of((ExtendedActorSystem)system, depth ?? int.MaxValue)));
        app.MapGet("/amqp", (AmqpLinks links, IServiceProvider services) => Results.Ok(new
        {
            links = links.Report(),
            router = services.GetService<RouterView>()?.Addresses(),
        }));

        foreach (var module in modules)
        {
            module.Map(app);
        }

        app.MapFallback((HttpContext context) => Error(StatusCodes.Status404NotFound, $"This node serves no {context.Request.Method} {context.Request.Path}."));
    }

    public static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    /// <summary>
    /// Streams one JSON line per message the relay formats, until the client disconnects.
    /// <paramref name="subscribe"/> attaches the relay to what it follows.
    /// </summary>
    public static Task Stream(HttpContext context, ActorSystem system, Func<object, object?> describe, Action<IActorRef> subscribe) =>
        StreamFrames(
            context,
            system,
            "application/x-ndjson",
            message => describe(message) is { } described ? JsonSerializer.Serialize(described, JsonSerializerOptions.Web) + "\n" : null,
            (relay, _) =>
            {
                subscribe(relay);
                return null;
            });

    /// <summary>
    /// Streams what a relay actor turns the messages it is told into (<paramref name="frame"/>: whole
    /// frames, terminators included), until the client disconnects. <paramref name="start"/> attaches
    /// the relay to what it follows, may write frames of its own first, and may return what to dispose
    /// of when the stream ends.
    /// </summary>
    public static async Task StreamFrames(
        HttpContext context, ActorSystem system, string contentType, Func<object, string?> frame, Func<IActorRef, ChannelWriter<string>, IDisposable?> start)
    {
        var frames = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        var relay = system.ActorOf(LineRelay.Props(frames.Writer, frame));
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(context.RequestAborted);
        try
        {
            using var started = start(relay, frames.Writer);
            await foreach (var text in frames.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync(text, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client stopped following.
        }
        finally
        {
            system.Stop(relay);
        }
    }

    private static IResult NoSuchMember(string address) =>
        Error(StatusCodes.Status404NotFound, $"No member {Uri.UnescapeDataString(address)} in the cluster; 'cluster show' lists them.");

    private static async Task<string?> FormValue(HttpRequest request, string name) =>
        request.HasFormContentType ? (await request.ReadFormAsync())[name].FirstOrDefault() : request.Query[name].FirstOrDefault();
}
