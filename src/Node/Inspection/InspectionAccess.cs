using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ActorDemo.Node.Inspection;

/// <summary>
/// Who may change the cluster through the inspection endpoint. Reading is open, as Akka
/// Management's cluster routes are. Every other method (leave, down, join, scale) is served to a
/// request that arrives on loopback, where only the machine's own users (and in a pod,
/// <c>kubectl exec</c> and <c>kubectl port-forward</c>) reach it; from anywhere else it needs the
/// configured bearer token, and with no token it is refused.
/// </summary>
internal sealed class InspectionAccess(InspectionOptions options)
{
    private readonly byte[]? _token = string.IsNullOrEmpty(options.Token) ? null : Encoding.UTF8.GetBytes(options.Token);

    public async Task Guard(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || Allowed(context.Request))
        {
            await next(context);
            return;
        }

        var (status, message) = _token is null
            ? (StatusCodes.Status403Forbidden,
                $"Changing the cluster from another machine is off: this node has no inspection token. " +
                $"Start it with --inspection-token (ActorDemo__Inspection__Token, from a Kubernetes Secret) and give cmd --token or {InspectionClient.TokenVariable}.")
            : (StatusCodes.Status401Unauthorized,
                $"This route changes the cluster and needs the node's inspection token: cmd --token TOKEN, or {InspectionClient.TokenVariable}.");
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await InspectionEndpoints.Error(status, message).ExecuteAsync(context);
    }

    private bool Allowed(HttpRequest request)
    {
        if (request.HttpContext.Connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local))
        {
            return true;
        }

        if (_token is null)
        {
            return false;
        }

        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Compared in constant time, so that the answer's timing tells nothing of the token.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), _token);
    }
}
