using System.Net;

namespace ActorDemo.Node.Hosting;

/// <summary>Whether the node's endpoints can listen where the options say, before anything starts.</summary>
internal static class EndpointProbe
{
    /// <summary>
    /// Tries each endpoint's address and port before anything starts, so that a failure names the
    /// option. Akka.Remote binds with SO_REUSEADDR, which on Linux lets a second node listen on a
    /// port a running node holds, and both form clusters under one address; a plain listener is
    /// refused there. Kestrel's own error names neither the address nor the option.
    /// </summary>
    public static string? Unavailable(ActorDemoOptions options) =>
        Unavailable("remoting", options.Node.Hostname, options.Node.Port, NodeOptionTable.Section.For(o => o.Node.Hostname), NodeOptionTable.Section.For(o => o.Node.Port))
        ?? Unavailable("inspection", options.Inspection.Hostname, options.Inspection.Port, NodeOptionTable.Section.For(o => o.Inspection.Hostname), NodeOptionTable.Section.For(o => o.Inspection.Port))
        ?? Unavailable("management", options.Management.Hostname, options.Management.Port, NodeOptionTable.Section.For(o => o.Management.Hostname), NodeOptionTable.Section.For(o => o.Management.Port));

    private static string? Unavailable(string endpoint, string hostname, int port, OptionDefinition hostOption, OptionDefinition portOption)
    {
        if (!IPAddress.TryParse(hostname, out var address))
        {
            return null;
        }

        try
        {
            using var probe = new System.Net.Sockets.TcpListener(address, port);
            probe.Start();
            return null;
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressNotAvailable)
        {
            return $"The node could not start: {hostname} ({hostOption.Flag}) is not an address of this machine, so the {endpoint} endpoint cannot listen there. " +
                "Use 127.0.0.1, 0.0.0.0 for all interfaces, or one of this machine's addresses.";
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return $"The node could not start: the {endpoint} port {hostname}:{port} is in use ({e.Message}); another node may run there. " +
                $"Stop it, or choose another port with {portOption.Flag} ({portOption.EnvironmentVariable}; 0 takes any free port).";
        }
    }
}
