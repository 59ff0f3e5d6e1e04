using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorDemo.Testing.Pods;

/// <summary>The overlays under deploy/k8s as <c>kubectl kustomize</c> renders them (KUBECTL names the kubectl).</summary>
public static class Kustomize
{
    public static string Kubectl { get; } = Environment.GetEnvironmentVariable("KUBECTL") ?? "kubectl";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Rendered = new();

    /// <summary>What <c>kubectl kustomize</c> renders of the overlay; once per overlay and test run, since the files do not change meanwhile.</summary>
    public static string Render(string overlay) => Rendered.GetOrAdd(overlay, name => new Lazy<string>(() => RenderNow(name))).Value;

    private static string RenderNow(string overlay)
    {
        var info = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("kustomize");
        info.ArgumentList.Add(Path.Combine(BuiltExecutables.RepositoryRoot, "deploy", "k8s", overlay));
        using var kubectl = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start; ./test.sh brings kubectl 1.29.4 when the PATH has none of 1.22 or newer.");
        var output = kubectl.StandardOutput.ReadToEndAsync();
        var errors = kubectl.StandardError.ReadToEndAsync();
        kubectl.WaitForExit();
        if (kubectl.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {overlay} failed: {errors.Result}");
        }

        // A warning (a field kustomize deprecated) is a failure too: the next kubectl may refuse it.
        if (errors.Result.Trim() is { Length: > 0 } warning)
        {
            throw new InvalidOperationException($"kubectl kustomize {overlay} warned: {warning}");
        }

        return output.Result;
    }
}
