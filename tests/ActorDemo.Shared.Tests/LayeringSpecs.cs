using System.Reflection;
using System.Text.RegularExpressions;
using ActorDemo.Amqp;
using ActorDemo.Amqp.Routing;
using ActorDemo.Node.Hosting;
using ActorDemo.Readings;
using Xunit;

namespace ActorDemo.Shared.Tests;

/// <summary>
/// The layers of docs/design.md ("Parts and where they live"), each an assembly: a reference runs
/// down the table only. Read from the assemblies the compiler built, so that nothing else can bend it.
/// </summary>
public sealed class LayeringSpecs
{
    /// <summary>Each of our assemblies and the ones of ours it may reference.</summary>
    public static readonly TheoryData<string, string[]> Allowed = new()
    {
        { "ActorDemo.Amqp", [] },
        { "ActorDemo.Amqp.Routing", ["ActorDemo.Amqp"] },
        { "ActorDemo.Readings", ["ActorDemo.Amqp"] },
        { "ActorDemo.Node", ["ActorDemo.Amqp", "ActorDemo.Readings"] },
        // The sensor executable ships no router: only an aggregator starts one.
        { "ActorDemo.Sensors", ["ActorDemo.Amqp", "ActorDemo.Readings", "ActorDemo.Node"] },
        { "ActorDemo.Aggregator", ["ActorDemo.Amqp", "ActorDemo.Amqp.Routing", "ActorDemo.Readings", "ActorDemo.Node", "ActorDemo.Sensors"] },
    };

    private static readonly Dictionary<string, Assembly> Ours = new[]
    {
        typeof(AmqpSource).Assembly, typeof(AnycastRouter).Assembly, typeof(TemperatureReading).Assembly, typeof(NodeHost).Assembly,
    }.ToDictionary(a => a.GetName().Name!);

    [Theory]
    [MemberData(nameof(Allowed))]
    public void An_assembly_references_only_the_layers_below_it(string assembly, string[] allowed)
    {
        var referenced = Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name.StartsWith("ActorDemo.", StringComparison.Ordinal))
            .ToList();

        Assert.All(referenced, name => Assert.True(allowed.Contains(name), $"{assembly} references {name}, which is not below it"));
    }

    [Theory]
    [InlineData("Amqp")]
    [InlineData("Amqp.Routing")]
    [InlineData("Readings")]
    public void A_library_names_settings_never_an_executables_flags(string library)
    {
        var flags = Directory.GetFiles(Path.Combine(ActorDemo.Testing.BuiltExecutables.RepositoryRoot, "src", library), "*.cs")
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (File: Path.GetFileName(file), Line: index + 1, Text: line.Trim())))
            .Where(line => !line.Text.StartsWith("//", StringComparison.Ordinal) && Regex.IsMatch(line.Text, @"""[^""]*--[a-z]"))
            .Select(line => $"{line.File}:{line.Line}: {line.Text}")
            .ToList();

        Assert.Empty(flags);
    }

    /// <summary>
    /// The parts of ActorDemo.Node (its folders and namespaces) and the ones each may use. One assembly,
    /// so the compiler does not hold this line; the source does, read for namespaces named in it.
    /// </summary>
    public static readonly TheoryData<string, string[]> NodeParts = new()
    {
        { "Links", [] },
        { "Serialization", [] },
        { "Discovery", [] },
        { "Downing", [] },
        { "Observability", ["Links"] },
        { "Health", ["Links"] },
        { "Inspection", ["Links"] },
        { "Hosting", ["Links", "Serialization", "Discovery", "Downing", "Observability", "Health", "Inspection"] },
    };

    [Theory]
    [MemberData(nameof(NodeParts))]
    public void A_part_of_the_node_uses_only_the_parts_below_it(string part, string[] allowed)
    {
        var parts = NodeParts.Select(row => (string)row[0]).ToList();
        var used = Directory.GetFiles(Path.Combine(ActorDemo.Testing.BuiltExecutables.RepositoryRoot, "src", "Node", part), "*.cs")
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"\bActorDemo\.Node\.(\w+)|(?<![\w.])(\w+)\.[A-Z]\w*")
                .Select(match => match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value)
                .Where(name => parts.Contains(name) && name != part)
                .Select(name => $"{Path.GetFileName(file)} uses {name}"))
            .Distinct()
            .ToList();

        Assert.All(used, use => Assert.True(allowed.Any(a => use.EndsWith($" uses {a}", StringComparison.Ordinal)), $"{part}: {use}, which is not below it"));
    }

    [Fact]
    public void Every_part_of_the_node_has_its_place_in_the_layers()
    {
        var named = NodeParts.Select(row => (string)row[0]).ToHashSet();
        var folders = Directory.GetDirectories(Path.Combine(ActorDemo.Testing.BuiltExecutables.RepositoryRoot, "src", "Node"))
            .Select(path => Path.GetFileName(path)!)
            .Where(name => name is not ("bin" or "obj"))
            .ToList();

        Assert.All(folders, folder => Assert.Contains(folder, named));
    }

    [Fact]
    public void Every_assembly_of_ours_has_its_place_in_the_layers()
    {
        var named = Allowed.Select(row => (string)row[0]).ToHashSet();
        var ours = Directory.GetFiles(AppContext.BaseDirectory, "ActorDemo.*.dll")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            // Test support and the benchmarks' tooling stand beside the layers, not in them.
            .Where(name => !name.Contains(".Tests", StringComparison.Ordinal) && name != "ActorDemo.Testing" && !name.StartsWith("ActorDemo.Bench.", StringComparison.Ordinal))
            .ToList();

        Assert.Contains("ActorDemo.Node", ours);
        Assert.All(ours, name => Assert.Contains(name, named));
    }

    /// <summary>The role assemblies are not referenced by this project; they are read from beside the executables' build.</summary>
    private static Assembly Load(string name) =>
        Ours.TryGetValue(name, out var assembly)
            ? assembly
            : Assembly.LoadFrom(Path.Combine(Path.GetDirectoryName(ActorDemo.Testing.BuiltExecutables.Path(name["ActorDemo.".Length..]))!, $"{name}.dll"));
}
