namespace ActorDemo.Testing;

/// <summary>The repository, and the executables (the two nodes, the benchmarks) as built beside the running test project.</summary>
public static class BuiltExecutables
{
    public static readonly string RepositoryRoot = FindRoot();

    public static string Aggregator => Path("Aggregator");

    public static string Sensors => Path("Sensors");

    /// <summary>tests/X/bin/&lt;Configuration&gt;/&lt;framework&gt;/ -> src/&lt;role&gt;/bin/&lt;Configuration&gt;/&lt;framework&gt;/ActorDemo.&lt;role&gt;.</summary>
    public static string Path(string role) => Built("src", role, $"ActorDemo.{role}");

    /// <summary>bench/&lt;name&gt;/bin/&lt;Configuration&gt;/&lt;framework&gt;/&lt;name&gt;, e.g. ActorDemo.Bench.Fleet.</summary>
    public static string Benchmark(string name) => Built("bench", name, name);

    private static string Built(string folder, string project, string executable)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        return System.IO.Path.Combine(RepositoryRoot, folder, project, "bin", output.Parent!.Name, output.Name, executable);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "ActorDemo.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ActorDemo.sln not found above the test folder.");
    }
}
