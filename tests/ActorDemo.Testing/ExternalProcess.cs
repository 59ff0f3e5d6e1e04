using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ActorDemo.Testing;

/// <summary>A real process under test: its output is collected line by line, and it is killed on dispose.</summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private bool _disposed;

    private ExternalProcess(Process process) => _process = process;

    public IReadOnlyList<string> Lines => _lines.ToList();

    public int Id => _process.Id;

    /// <summary>The executable and its process id, as a report names it.</summary>
    public string Name { get; private set; } = "";

    public bool HasExited => _process.HasExited;

    /// <summary>A line a node logged at warning level or above (<c>07:40:10.012 WRN ...</c>), or wrote to stderr.</summary>
    public static bool IsWarning(string line) =>
        line.StartsWith("stderr:", StringComparison.Ordinal) || (line.Length > 17 && line.Substring(12, 5) is " WRN " or " ERR " or " CRT ");

    public static ExternalProcess Start(string fileName, params string[] arguments) => Start(fileName, arguments, new Dictionary<string, string>());

    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(fileName))
        {
            throw new InvalidOperationException($"{fileName} is missing; run ./test.sh once (it installs the test dependencies).");
        }

        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var external = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => external.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => external.Collect(e.Data is null ? null : $"stderr: {e.Data}");
        process.Start();
        external.Name = $"{Path.GetFileName(fileName)}[{process.Id}]";
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return external;
    }

    public Task WaitForLineAsync(Func<string, bool> match, TimeSpan? within = null) =>
        Eventually.Assert(() => Xunit.Assert.True(_lines.Any(match), $"no such line yet; output so far:\n{string.Join('\n', _lines)}"), within ?? TimeSpan.FromSeconds(30));

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {within}; its output:\n{string.Join('\n', _lines)}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod: the process may shut down gracefully.</summary>
    public void Terminate() => Signal(SigTerm);

    /// <summary>SIGSTOP: the process freezes, as in a long GC pause or a stalled VM, until <see cref="Resume"/>.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>SIGCONT: a paused process runs on, unaware of the time it lost.</summary>
    public void Resume() => Signal(SigCont);

        /// <summary>SIGKILL: the process dies as in a crash, with no chance to say goodbye.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited && SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Signal {signal} to {_process.Id} failed: errno {Marshal.GetLastWin32Error()}");
        }
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
