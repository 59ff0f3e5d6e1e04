using System.Diagnostics;

namespace ActorDemo.Testing.Pods;

/// <summary>A command run to its end: its exit status and what it wrote to each stream.</summary>
public static class Command
{
    /// <param name="environment">Variables set for it beside this process's own.</param>
    public static async Task<(int Status, string Output, string Errors)> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        // Both streams read together, so that a full one cannot hold the other up.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
