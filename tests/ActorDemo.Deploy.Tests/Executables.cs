namespace ActorDemo.Deploy.Tests;

/// <summary>The executables as built beside this test project (same configuration and framework).</summary>
public static class Executables
{
    public static string Path(string role)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        return System.IO.Path.Combine(Manifests.Root, "src", role, "bin", output.Parent!.Name, output.Name, $"ActorDemo.{role}");
    }
}
