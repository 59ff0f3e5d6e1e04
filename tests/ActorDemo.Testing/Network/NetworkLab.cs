using System.Diagnostics;

namespace ActorDemo.Testing.Network;

/// <summary>
/// A small network of hosts on this machine, made for one spec and removed after it: each host is a
/// Linux network namespace with an address of its own, linked to a bridge by a veth pair. Cutting a
/// host takes its end of the link down; its processes keep running, unreachable. The test process
/// reaches the hosts through the bridge's own address, as an operator's workstation would; nothing
/// leaves the lab. Needs root and iproute2.
/// </summary>
public sealed partial class NetworkLab : IAsyncDisposable
{
    private const string Ip = "/usr/sbin/ip";
    private const string NamespacePrefix = "actordemo-lab-";

    // Each lab's id with the test process that made it, written before its bridge: another test run
    // cleaning up must not take a bridge for an orphan in the moment before its first host exists.
    private const string Claims = "/run/actordemo-labs";

    private readonly List<LabHost> _hosts = [];
    private readonly string _id;
    private readonly string _subnet;
    private bool _disposed;

    private NetworkLab(string id, string subnet)
    {
        _id = id;
        _subnet = subnet;
    }

    /// <summary>Why labs cannot be made here, or null when they can.</summary>
    public static string? Unavailable =>
        !File.Exists(Ip) ? "iproute2 is not installed (apt-get install iproute2; ./test.sh does it as root)"
        : Environment.UserName != "root" ? "network namespaces need root; run ./test.sh as root"
        : null;

    /// <summary>The bridge's address: where the test process stands in the lab.</summary>
    public string Workstation => $"{_subnet}.254";

    private string Bridge => $"al{_id}br";

    /// <summary>A new lab: first it removes what labs of test runs that died left behind.</summary>
    public static async Task<NetworkLab> CreateAsync()
    {
        if (Unavailable is { } reason)
        {
            throw new InvalidOperationException($"No network lab: {reason}.");
        }

        await RemoveOrphansAsync();
        var id = Random.Shared.Next(0x1000, 0xffff).ToString("x4");
        var lab = new NetworkLab(id, $"10.{Random.Shared.Next(100, 250)}.{Random.Shared.Next(0, 250)}");
        try
        {
            Directory.CreateDirectory(Claims);
            // Written whole, then named: a claim is never read half-written.
            await File.WriteAllTextAsync(Path.Combine(Claims, $"{id}.new"), Environment.ProcessId.ToString());
            File.Move(Path.Combine(Claims, $"{id}.new"), Path.Combine(Claims, id));
            await RunAsync("link", "add", lab.Bridge, "type", "bridge");
            await RunAsync("addr", "add", $"{lab.Workstation}/24", "dev", lab.Bridge);
            await RunAsync("link", "set", lab.Bridge, "up");
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    /// <summary>A host named <paramref name="name"/> with the next address of the lab.</summary>
    public async Task<LabHost> AddHostAsync(string name)
    {
        var number = _hosts.Count + 1;
        var host = new LabHost(name, $"{NamespacePrefix}{Environment.ProcessId}-{_id}-{name}", $"{_subnet}.{number}", $"al{_id}h{number}");
        _hosts.Add(host);
        var inside = $"al{_id}n{number}";
        await RunAsync("netns", "add", host.Namespace);
        await RunAsync("link", "add", host.Link, "type", "veth", "peer", "name", inside);
        await RunAsync("link", "set", inside, "netns", host.Namespace);
        await RunAsync("link", "set", host.Link, "master", Bridge);
        await RunAsync("link", "set", host.Link, "up");
        await RunAsync("-n", host.Namespace, "addr", "add", $"{host.Address}/24", "dev", inside);
        await RunAsync("-n", host.Namespace, "link", "set", inside, "up");
        await RunAsync("-n", host.Namespace, "link", "set", "lo", "up");
        return host;
    }

    /// <summary>Takes the host's link down: nothing reaches it, nothing leaves it.</summary>
    public static Task CutAsync(LabHost host) => RunAsync("link", "set", host.Link, "down");

    public static Task RestoreAsync(LabHost host) => RunAsync("link", "set", host.Link, "up");

    /// <summary>
    /// Cuts only the path between two hosts: <paramref name="host"/> routes nothing to <paramref name="peer"/>
    /// any more (a blackhole route), so no TCP exchange between them completes; both reach everyone else.
    /// </summary>
    public static Task BlockAsync(LabHost host, LabHost peer) => RunAsync("-n", host.Namespace, "route", "add", "blackhole", $"{peer.Address}/32");

    public static Task UnblockAsync(LabHost host, LabHost peer) => RunAsync("-n", host.Namespace, "route", "del", "blackhole", $"{peer.Address}/32");

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var host in _hosts)
        {
            foreach (var process in host.Processes)
            {
                await process.DisposeAsync();
            }

            // The namespace lives on while sockets of its processes linger (TIME_WAIT): its link goes at once.
            await RunAsync(allowFailure: true, "link", "delete", host.Link);
            await RunAsync(allowFailure: true, "netns", "delete", host.Namespace);
        }

        await RunAsync(allowFailure: true, "link", "delete", Bridge);
        File.Delete(Path.Combine(Claims, _id));
    }

    /// <summary>Namespaces (and their bridges) of labs whose test process is gone.</summary>
    private static async Task RemoveOrphansAsync()
    {
        var (_, listed) = await RunAsync(allowFailure: true, "netns", "list");
        foreach (var name in listed.Split('\n').Select(l => l.Split(' ')[0]).Where(n => n.StartsWith(NamespacePrefix, StringComparison.Ordinal)))
        {
            var parts = name[NamespacePrefix.Length..].Split('-');
            if (parts.Length >= 2 && int.TryParse(parts[0], out var pid) && !IsRunning(pid))
            {
                await RunAsync(allowFailure: true, "netns", "delete", name);
                await RunAsync(allowFailure: true, "link", "delete", $"al{parts[1]}br");
            }
        }

        // Links whose lab is gone: their bridge was deleted, or they belong to a namespace no longer listed.
        var (_, links) = await RunAsync(allowFailure: true, "-br", "link", "show");
        var live = listed.Split('\n').Select(l => l.Split(' ')[0]).Where(n => n.StartsWith(NamespacePrefix, StringComparison.Ordinal))
            .Select(n => n[NamespacePrefix.Length..].Split('-')).Where(p => p.Length >= 2 && int.TryParse(p[0], out var pid) && IsRunning(pid)).Select(p => p[1]).ToHashSet();
        foreach (var claim in (Directory.Exists(Claims) ? Directory.GetFiles(Claims) : []).Where(c => Path.GetFileName(c).Length == 4))
        {
            if (int.TryParse(File.ReadAllText(claim), out var pid) && IsRunning(pid))
            {
                live.Add(Path.GetFileName(claim));
            }
            else
            {
                File.Delete(claim);
            }
        }

        foreach (var link in links.Split('\n').Select(l => l.Split(' ', '@')[0]).Where(l => LabLink().IsMatch(l) && !live.Contains(l[2..6])))
        {
            await RunAsync(allowFailure: true, "link", "delete", link);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^al[0-9a-f]{4}(br|h[0-9]+)$")]
    private static partial System.Text.RegularExpressions.Regex LabLink();

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    private static Task<(int Status, string Output)> RunAsync(params string[] arguments) => RunAsync(allowFailure: false, arguments);

    private static async Task<(int Status, string Output)> RunAsync(bool allowFailure, params string[] arguments)
    {
        var info = new ProcessStartInfo(Ip) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Trim()}");
        }

        return (process.ExitCode, output);
    }
}

/// <summary>One host of a <see cref="NetworkLab"/>: a network namespace, its address, the processes started in it.</summary>
public sealed class LabHost(string name, string @namespace, string address, string link)
{
    private readonly List<ExternalProcess> _processes = [];

    public string Name { get; } = name;

    public string Namespace { get; } = @namespace;

    public string Address { get; } = address;

    /// <summary>The bridge's end of the host's link.</summary>
    internal string Link { get; } = link;

    /// <summary>Every process started in the host, those that ended included.</summary>
    public IReadOnlyList<ExternalProcess> Processes => _processes;

    /// <summary>Starts <paramref name="executable"/> inside the host (<c>ip netns exec</c>, which becomes the process).</summary>
    public ExternalProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = ExternalProcess.Start("/usr/sbin/ip", ["netns", "exec", Namespace, executable, .. arguments], environment ?? new Dictionary<string, string>());
        _processes.Add(process);
        return process;
    }
}
