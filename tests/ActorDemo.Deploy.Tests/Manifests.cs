using System.Diagnostics;
using ActorDemo.Testing;
using k8s;
using k8s.Models;

namespace ActorDemo.Deploy.Tests;

/// <summary>The kustomize overlays under deploy/k8s, rendered by kubectl and parsed into typed objects, unknown fields refused.</summary>
public static class Manifests
{
    public static string Root => BuiltExecutables.RepositoryRoot;

    public static string Kubectl { get; } = Environment.GetEnvironmentVariable("KUBECTL") ?? "kubectl";

    private static readonly Dictionary<string, Type> EnmasseTypes = new()
    {
        ["enmasse.io/v1beta1/AddressSpace"] = typeof(AddressSpace),
        ["enmasse.io/v1beta1/Address"] = typeof(EnmasseAddress),
        ["user.enmasse.io/v1beta1/MessagingUser"] = typeof(MessagingUser),
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> Rendered = new();

    /// <summary>What <c>kubectl kustomize</c> renders of the overlay; once per overlay and test run, since the files do not change meanwhile.</summary>
    public static string Render(string overlay) => Rendered.GetOrAdd(overlay, name => new Lazy<string>(() => RenderNow(name))).Value;

    private static string RenderNow(string overlay)
    {
        var info = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("kustomize");
        info.ArgumentList.Add(Path.Combine(Root, "deploy", "k8s", overlay));
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

    public static IReadOnlyList<object> Load(string overlay) =>
        KubernetesYaml.LoadAllFromString(Render(overlay), EnmasseTypes, strict: true);

    public static T Single<T>(this IReadOnlyList<object> objects, string name)
        where T : IMetadata<V1ObjectMeta> =>
        objects.OfType<T>().Single(o => o.Metadata.Name == name);
}

/// <summary>EnMasse's custom resources, as far as the manifests use them: any other field fails the parse.</summary>
public abstract class EnmasseResource<TSpec> : IKubernetesObject<V1ObjectMeta>
    where TSpec : new()
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public TSpec Spec { get; set; } = new();
}

public sealed class AddressSpace : EnmasseResource<AddressSpace.AddressSpaceSpec>
{
    public sealed class AddressSpaceSpec
    {
        public string Type { get; set; } = "";

        public string Plan { get; set; } = "";
    }
}

public sealed class EnmasseAddress : EnmasseResource<EnmasseAddress.AddressSpec>
{
    public sealed class AddressSpec
    {
        public string Address { get; set; } = "";

        public string Type { get; set; } = "";

        public string Plan { get; set; } = "";
    }
}

public sealed class MessagingUser : EnmasseResource<MessagingUser.UserSpec>
{
    public sealed class UserSpec
    {
        public string Username { get; set; } = "";

        public UserAuthentication Authentication { get; set; } = new();

        public List<UserAuthorization> Authorization { get; set; } = [];
    }

    public sealed class UserAuthentication
    {
        public string Type { get; set; } = "";

        public string Password { get; set; } = "";
    }

    public sealed class UserAuthorization
    {
        public List<string> Addresses { get; set; } = [];

        public List<string> Operations { get; set; } = [];
    }
}
