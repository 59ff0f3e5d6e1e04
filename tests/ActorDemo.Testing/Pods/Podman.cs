using System.Diagnostics;

namespace ActorDemo.Testing.Pods;

/// <summary>The podman command, with the settings this project's images were built with (deploy/images/containers.conf).</summary>
public static class Podman
{
    public static string ContainersConf => Path.Combine(BuiltExecutables.RepositoryRoot, "deploy", "images", "containers.conf");

    /// <summary>Runs podman and returns what it printed; a failure throws with what it said.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var (status, output, errors) = await TryAsync(arguments);
        return status == 0 ? output : throw new InvalidOperationException($"podman {string.Join(' ', arguments)} failed ({status}): {errors}{output}");
    }

    public static async Task<(int Status, string Output, string Errors)> TryAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["CONTAINERS_CONF"] = ContainersConf;
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("podman is not installed: run ./test.sh as root, which installs it (podman, runc, catatonit) and builds the images.");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output, await errors);
        }
    }
}
