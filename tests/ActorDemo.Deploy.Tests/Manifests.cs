using ActorDemo.Testing;
using ActorDemo.Testing.Pods;
using k8s;
using k8s.Models;

namespace ActorDemo.Deploy.Tests;

/// <summary>The kustomize overlays under deploy/k8s, rendered by kubectl and parsed into typed objects, unknown fields refused.</summary>
public static class Manifests
{
    public static string Root => BuiltExecutables.RepositoryRoot;

    private static readonly Dictionary<string, Type> EnmasseTypes = new()
    {
        ["enmasse.io/v1beta1/AddressSpace"] = typeof(AddressSpace),
        ["enmasse.io/v1beta1/Address"] = typeof(EnmasseAddress),
        ["user.enmasse.io/v1beta1/MessagingUser"] = typeof(MessagingUser),
    };

    public static string Render(string overlay) => Kustomize.Render(overlay);

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
