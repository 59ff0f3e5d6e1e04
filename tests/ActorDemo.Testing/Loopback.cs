using System.Net;
using System.Net.Sockets;

namespace ActorDemo.Testing;

public static class Loopback
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port that was free a moment ago, for a server under test, and never one handed out before in
    /// this process: the probe lets go of it at once, so the kernel may offer the same port again to the
    /// next caller, who would then collide with the first (seen: remoting and Kestrel on one port).
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
