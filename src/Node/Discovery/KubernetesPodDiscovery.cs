using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Discovery;
using Akka.Event;

namespace ActorDemo.Node.Discovery;

/// <summary>
/// Akka.Discovery over the Kubernetes API: the running pods that match a label selector in this pod's
/// namespace, with the port their containers name as asked (<c>management</c> for cluster bootstrap).
/// It is a plain HTTP call with the pod's service-account token, so the pods' RBAC needs pods get/list/watch.
/// </summary>
/// <remarks>
/// It stands in for Akka.Discovery.KubernetesApi, whose 1.5.73 fails on the KubernetesClient versions
/// at hand; docs/design.md ("Two libraries we do without") says how to switch to it.
/// </remarks>
public sealed class KubernetesPodDiscovery : ServiceDiscovery
{
    public const string ConfigPath = "akka.discovery.actordemo-kubernetes";

    private const string ServiceAccount = "/var/run/secrets/kubernetes.io/serviceaccount";

    private readonly ILoggingAdapter _log;
    private readonly Config _config;
    private readonly Lazy<HttpClient> _http;

    public KubernetesPodDiscovery(ExtendedActorSystem system)
    {
        _log = Logging.GetLogger(system, typeof(KubernetesPodDiscovery));
        _config = system.Settings.Config.GetConfig(ConfigPath);
        _http = new Lazy<HttpClient>(CreateClient);
    }

    public static Config Hocon(string labelSelector, string? apiUrl) => ConfigurationFactory.ParseString($$"""
        {{ConfigPath}} {
          class = "{{typeof(KubernetesPodDiscovery).AssemblyQualifiedName}}"
          label-selector = "{{labelSelector}}"
          api-url = "{{apiUrl ?? ""}}"
        }
        """);

    public override async Task<Resolved> Lookup(Lookup lookup, TimeSpan resolveTimeout)
    {
        var selector = string.Format(_config.GetString("label-selector"), lookup.ServiceName);
        var path = $"api/v1/namespaces/{Uri.EscapeDataString(Namespace())}/pods?labelSelector={Uri.EscapeDataString(selector)}";
        using var timeout = new CancellationTokenSource(resolveTimeout);
        using var response = await _http.Value.GetAsync(path, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            throw new InvalidOperationException($"The Kubernetes API answered {(int)response.StatusCode} to GET /{path}: {body}. Does the pod's service account have a Role allowing pods get, list and watch?");
        }

        using var pods = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(timeout.Token));
        var targets = Targets(pods.RootElement, lookup.PortName).ToList();
        _log.Debug("Kubernetes pods for [{0}]: {1}", selector, string.Join(", ", targets.Select(t => $"{t.Host}:{t.Port}")));
        return new Resolved(lookup.ServiceName, targets);
    }

    /// <summary>Running pods, not being deleted, with an IP; the port named <paramref name="portName"/> when asked.</summary>
    public static IEnumerable<ResolvedTarget> Targets(JsonElement podList, string? portName)
    {
        foreach (var pod in podList.GetProperty("items").EnumerateArray())
        {
            var status = pod.GetProperty("status");
            if (!status.TryGetProperty("podIP", out var ip) || ip.GetString() is not { Length: > 0 } address
                || status.GetProperty("phase").GetString() != "Running"
                || pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _))
            {
                continue;
            }

            int? port = null;
            if (portName is { Length: > 0 })
            {
                port = pod.GetProperty("spec").GetProperty("containers").EnumerateArray()
                    .SelectMany(c => c.TryGetProperty("ports", out var ports) ? ports.EnumerateArray() : Enumerable.Empty<JsonElement>())
                    .Where(p => p.TryGetProperty("name", out var name) && name.GetString() == portName)
                    .Select(p => (int?)p.GetProperty("containerPort").GetInt32())
                    .FirstOrDefault();
                if (port is null)
                {
                    continue;
                }
            }

            yield return new ResolvedTarget(address, port, IPAddress.TryParse(address, out var parsed) ? parsed : null);
        }
    }

    private string Namespace() =>
        File.Exists($"{ServiceAccount}/namespace") ? File.ReadAllText($"{ServiceAccount}/namespace").Trim() : "default";

    private HttpClient CreateClient()
    {
        var apiUrl = _config.GetString("api-url");
        if (string.IsNullOrEmpty(apiUrl))
        {
            var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
            var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
            if (string.IsNullOrEmpty(host))
            {
                throw new InvalidOperationException("KUBERNETES_SERVICE_HOST is not set: this node is not in a Kubernetes pod. Use static seeds (no --discovery) outside Kubernetes.");
            }

            apiUrl = $"https://{(host.Contains(':') ? $"[{host}]" : host)}:{port ?? "443"}/";
        }

        var handler = new HttpClientHandler();
        if (File.Exists($"{ServiceAccount}/ca.crt"))
        {
            // Trust the cluster's own CA for the API server, and nothing else for it.
            var ca = X509Certificate2.CreateFromPemFile($"{ServiceAccount}/ca.crt");
            handler.ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is null || chain is null)
                {
                    return false;
                }

                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            };
        }

        var client = new HttpClient(handler) { BaseAddress = new Uri(apiUrl.EndsWith('/') ? apiUrl : apiUrl + "/") };
        if (File.Exists($"{ServiceAccount}/token"))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText($"{ServiceAccount}/token").Trim());
        }

        return client;
    }
}
