using System.Net;
using System.Net.Sockets;

namespace ActorDemo.Testing;

public static class Loopback
{
    // Below Linux's ephemeral range (32768-60999): the kernel hands ports of that range to outgoing
    // connections, and one of the many the specs open took a port picked there before its server
    // bound it (seen: "address already in use" for Kestrel, an HTTP client talking to remoting).
    private const int Lowest = 20_000;
    private const int Highest = 32_000;

    // Test assemblies run in parallel processes: a port is reserved machine-wide by creating a file
    // of its number, which only one process can do. A reservation older than a run is taken back.
    private static readonly string Reservations = Path.Combine(Path.GetTempPath(), "actordemo-test-ports");
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A port for a server under test: free now, outside the range the kernel gives outgoing
    /// connections, and never handed out to another spec of any test process in this run.
    /// </summary>
    public static int FreePort()
    {
        Directory.CreateDirectory(Reservations);
        while (true)
        {
            var port = Random.Shared.Next(Lowest, Highest);
            if (Reserve(port) && Bindable(port))
            {
                return port;
            }
        }
    }

    private static bool Reserve(int port)
    {
        var path = Path.Combine(Reservations, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using (File.Open(path, FileMode.CreateNew))
            {
            }

            return true;
        }
        catch (IOException) when (File.GetLastWriteTimeUtc(path) < DateTime.UtcNow - Stale)
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
