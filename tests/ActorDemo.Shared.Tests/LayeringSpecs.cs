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

    [Fact]
    public void Every_assembly_of_ours_has_its_place_in_the_layers()
    {
        var named = Allowed.Select(row => (string)row[0]).ToHashSet();
        var ours = Directory.GetFiles(AppContext.BaseDirectory, "ActorDemo.*.dll")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Where(name => !name.Contains(".Tests", StringComparison.Ordinal) && name != "ActorDemo.Testing")
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
