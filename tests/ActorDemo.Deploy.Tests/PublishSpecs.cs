using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorDemo.Deploy.Tests;

/// <summary>What the Dockerfile builds and runs, checked without a container engine: the release publish of each executable.</summary>
public sealed class PublishSpecs
{
    [Theory]
    [InlineData("Aggregator")]
    [InlineData("Sensors")]
    public async Task The_executable_publishes_runs_and_carries_no_kubernetes_client(string role)
    {
        var output = Directory.CreateTempSubdirectory($"actordemo-publish-{role}-");
        try
        {
            // As the Dockerfile's build stage does (with PROJECT set to the role); --no-restore keeps the shared assets file untouched.
            var (status, log) = await Run("dotnet", "publish", Path.Combine(Manifests.Root, "src", role), "-c", "Release", "-o", output.FullName, "--no-restore");
            Assert.True(status == 0, log);

            // Renamed as the image renames it, so that one entry point serves both images.
            var executable = Path.Combine(output.FullName, "node");
            File.Move(Path.Combine(output.FullName, $"ActorDemo.{role}"), executable);
            var (helpStatus, help) = await Run(executable, "--help");
            Assert.Equal(0, helpStatus);
            Assert.Contains("--amqp-url", help);
            // The discovery talks to the Kubernetes API itself (KubernetesPodDiscovery): no client library to mismatch.
            Assert.Empty(output.GetFiles("KubernetesClient*.dll"));
            Assert.Empty(output.GetFiles("Akka.Discovery.KubernetesApi.dll"));
        }
        finally
        {
            output.Delete(recursive: true);
        }
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

    private static async Task<(int Status, string Output)> Run(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
