using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ActorDemo.Testing.Network;

/// <summary>
/// A TCP relay on a free loopback port in front of another port: clients connect to it instead.
/// <see cref="Break"/> resets every connection through it at once, as a dropped network or a crashed
/// peer leaves them: no AMQP close, no settlement, only a reset. New connections pass again at once.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly ConcurrentDictionary<Socket, Socket> _pairs = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private TcpRelay(int target)
    {
        _target = target;
        Port = Loopback.FreePort();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections the relay has reset so far.</summary>
    public int Broken { get; private set; }

    /// <summary>A relay to <paramref name="targetPort"/> on loopback.</summary>
    public static TcpRelay To(int targetPort) => new(targetPort);

    /// <summary>Resets every connection through the relay, on both sides.</summary>
    public void Break()
    {
        foreach (var (client, server) in _pairs)
        {
            _pairs.TryRemove(client, out _);
            Reset(client);
            Reset(server);
            Broken++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        Break();
        await _accepting;
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target);
            }
            catch (SocketException)
            {
                Reset(client);
                server.Dispose();
                continue;
            }

            _pairs[client] = server;
            _ = RelayAsync(client, server);
        }
    }

    private async Task RelayAsync(Socket client, Socket server)
    {
        await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));
        _pairs.TryRemove(client, out _);
        client.Dispose();
        server.Dispose();
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Broken, or the other direction closed both.
        }
    }
}
