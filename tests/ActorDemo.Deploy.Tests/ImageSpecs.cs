using System.Text.RegularExpressions;
using ActorDemo.Testing.Pods;
using Xunit;

namespace ActorDemo.Deploy.Tests;

/// <summary>
/// The node images as deploy/images/build-local.sh builds them here: the Dockerfile's own runtime stage
/// on a local stand-in for Microsoft's aspnet image, the executables published as its build stage does.
/// </summary>
public sealed class ImageSpecs
{
    [Theory]
    [InlineData("aggregator")]
    [InlineData("sensors")]
    public async Task The_image_runs_the_executable_as_an_unprivileged_user(string role)
    {
        var image = await Image(role);

        var help = await Podman.RunAsync("run", "--rm", "--network", "none", "--read-only", image, "--help");
        Assert.Contains("--amqp-url", help);
        var user = await Podman.RunAsync("image", "inspect", "--format", "{{.Config.User}}", image);
        Assert.Equal("1654", user.Trim());
    }

    [Theory]
    [InlineData("aggregator")]
    [InlineData("sensors")]
    public async Task The_image_carries_no_kubernetes_client_library(string role)
    {
        // The discovery talks to the Kubernetes API itself (KubernetesPodDiscovery): no client library to mismatch.
        var files = await Podman.RunAsync("run", "--rm", "--network", "none", "--read-only", "--entrypoint", "/bin/ls", await Image(role), "/app");

        Assert.Contains("node", files.Split('\n'));
        Assert.DoesNotContain("KubernetesClient", files);
        Assert.DoesNotContain("Akka.Discovery.KubernetesApi", files);
    }

    [Theory]
    [InlineData("aggregator")]
    [InlineData("sensors")]
    public async Task The_image_gives_the_runtime_the_young_generation_the_benchmarks_measured(string role)
    {
        // .NET reads GCgen0size only from the environment; without it a node at 100,000 readings/s dropped a fifth to a third (docs/benchmarks.md).
        var environment = await Podman.RunAsync("image", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", await Image(role));

        Assert.Contains("DOTNET_GCgen0size=0x4000000", environment.Split('\n'));
    }

    [Fact]
    public void The_dockerfile_builds_either_executable_and_runs_it_under_the_name_the_spec_above_uses()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Manifests.Root, "Dockerfile"));

        Assert.Contains("dotnet publish src/${PROJECT} -c Release -o /app && mv /app/ActorDemo.${PROJECT} /app/node", dockerfile);
        Assert.Contains("ENTRYPOINT [\"./node\"]", dockerfile);
    }

    [Fact]
    public void The_docs_run_the_images_executable_by_its_name_inside_a_pod()
    {
        var commands = File.ReadAllLines(Path.Combine(Manifests.Root, "docs", "kubernetes.md"))
            .Where(line => Regex.IsMatch(line, @"kubectl exec \S+ -- |From another pod: `"))
            .ToList();

        Assert.NotEmpty(commands);
        Assert.All(commands, line => Assert.Matches(@"(-- |`)\./node cmd ", line));
    }

    private static async Task<string> Image(string role) =>
        (await PodLab.LocalImagesAsync()).Single(image => image.Contains($"/{role}:", StringComparison.Ordinal));
}
