using System.Diagnostics;
using Xunit;

namespace ActorDemo.Deploy.Tests;

/// <summary>
/// The rendered manifests against the Kubernetes JSON schemas, offline, with the npm kubernetes-models
/// validators (schema/validate.mjs; ./test.sh installs them with npm ci). EnMasse's kinds have no offline
/// schema there: they are parsed strictly into typed classes by <see cref="ManifestSpecs"/> instead.
/// </summary>
public sealed class SchemaSpecs
{
    private static readonly string Schema = Path.Combine(Manifests.Root, "tests", "ActorDemo.Deploy.Tests", "schema");

    [Theory]
    [MemberData(nameof(ManifestSpecs.Overlays), MemberType = typeof(ManifestSpecs))]
    public async Task Every_built_in_object_validates_against_its_kubernetes_schema(string overlay)
    {
        Assert.True(Directory.Exists(Path.Combine(Schema, "node_modules")), $"Run `npm ci --prefix {Schema}` (./test.sh does) to install the schema validators.");
        var info = new ProcessStartInfo("node", Path.Combine(Schema, "validate.mjs"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Schema,
        };
        using var node = Process.Start(info)!;
        await node.StandardInput.WriteAsync(Manifests.Render(overlay));
        node.StandardInput.Close();
        var lines = (await node.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await node.WaitForExitAsync();

        Assert.True(node.ExitCode == 0, string.Join('\n', lines));
        var builtIn = Manifests.Load(overlay).Count(o => o is not (AddressSpace or EnmasseAddress or MessagingUser));
        Assert.Equal(builtIn, lines.Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));
        Assert.All(lines.Where(l => l.StartsWith("skipped ", StringComparison.Ordinal)), l => Assert.Contains("enmasse.io/", l));
    }
}
