using System.Net;
using System.Net.Sockets;

namespace ActorDemo.Testing;

public static class Loopback
{
    /// <summary>A port that was free a moment ago, for a server under test.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
