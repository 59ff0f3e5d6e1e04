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
        try
        {
            return await Command.RunAsync("podman", arguments, new Dictionary<string, string> { ["CONTAINERS_CONF"] = ContainersConf });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("podman is not installed: run ./test.sh as root, which installs it (podman, runc, catatonit) and builds the images.");
        }
    }
}
