using System.Diagnostics;
using ActorDemo.Testing;
using System.Text.RegularExpressions;
using k8s.Models;
using Xunit;

namespace ActorDemo.Deploy.Tests;

public sealed partial class ManifestSpecs
{
    public static TheoryData<string> Overlays => new() { "base", "enmasse", "enmasse-queue", "router", "router-mesh", "spark" };

    public static TheoryData<string> ActorDemoOverlays => new() { "enmasse", "enmasse-queue", "router", "router-mesh" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_overlay_renders_and_parses_into_typed_objects_with_no_unknown_fields(string overlay) =>
        Assert.NotEmpty(Manifests.Load(overlay));

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void Every_environment_variable_of_the_pods_is_an_option_of_its_executable(string overlay)
    {
        var objects = Manifests.Load(overlay);
        var shared = objects.Single<V1ConfigMap>("actordemo").Data.Keys;
        foreach (var (deployment, executable) in new[] { ("aggregator", "Aggregator"), ("sensors", "Sensors") })
        {
            var container = objects.Single<V1Deployment>(deployment).Spec.Template.Spec.Containers.Single();
            var variables = shared.Concat(container.Env?.Select(e => e.Name) ?? []).ToList();
            var options = OptionsOf(executable);
            Assert.All(variables, variable => Assert.Contains(variable, options));
            Assert.Equal("actordemo", container.EnvFrom.Single().ConfigMapRef.Name);
        }
    }

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void Prometheus_is_told_to_scrape_metrics_on_each_pods_management_port(string overlay)
    {
        var objects = Manifests.Load(overlay);
        foreach (var deployment in new[] { "aggregator", "sensors" })
        {
            var template = objects.Single<V1Deployment>(deployment).Spec.Template;
            var management = template.Spec.Containers.Single().Ports.Single(p => p.Name == "management").ContainerPort;
            var annotations = template.Metadata.Annotations;
            Assert.Equal("true", annotations["prometheus.io/scrape"]);
            Assert.Equal(management.ToString(), annotations["prometheus.io/port"]);
            Assert.Equal("/metrics", annotations["prometheus.io/path"]);
        }
    }

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void Ports_and_probes_are_the_ones_the_nodes_serve(string overlay)
    {
        var objects = Manifests.Load(overlay);
        var config = objects.Single<V1ConfigMap>("actordemo").Data;
        var expected = new Dictionary<string, int>
        {
            ["remoting"] = int.Parse(config["ActorDemo__Node__Port"]),
            ["management"] = int.Parse(config["ActorDemo__Management__Port"]),
            ["inspection"] = int.Parse(config["ActorDemo__Inspection__Port"]),
        };
        Assert.Equal(new Dictionary<string, int> { ["remoting"] = 4053, ["management"] = 8558, ["inspection"] = 9110 }, expected);
        Assert.All(new[] { "0.0.0.0" }, any => Assert.Equal(any, config["ActorDemo__Node__Hostname"]));

        foreach (var deployment in new[] { "aggregator", "sensors" })
        {
            var container = objects.Single<V1Deployment>(deployment).Spec.Template.Spec.Containers.Single();
            Assert.Equal(expected, container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort));
            Assert.Equal(("/ready", "management"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
            Assert.Equal(("/alive", "management"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
            Assert.Equal("status.podIP", container.Env.Single(e => e.Name == "ActorDemo__Node__PublicHostname").ValueFrom.FieldRef.FieldPath);
        }

        var service = objects.Single<V1Service>("actordemo");
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.True(service.Spec.PublishNotReadyAddresses);
        Assert.Equal(expected, service.Spec.Ports.ToDictionary(p => p.Name, p => p.Port));
        Assert.All(service.Spec.Ports, p => Assert.Equal(p.Name, p.TargetPort.Value));
    }

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void Pods_use_images_of_this_release_loaded_into_the_cluster_and_liveness_waits_for_the_first_start(string overlay)
    {
        var release = System.Xml.Linq.XDocument.Load(Path.Combine(Manifests.Root, "Directory.Build.props")).Descendants("Version").Single().Value;
        foreach (var container in ActorDemoContainers(Manifests.Load(overlay)))
        {
            Assert.Matches($"^actordemo/(aggregator|sensors):{Regex.Escape(release)}$", container.Image);
            Assert.Equal("IfNotPresent", container.ImagePullPolicy);
            Assert.Equal(("/alive", "management"), (container.StartupProbe.HttpGet.Path, container.StartupProbe.HttpGet.Port.Value));
            Assert.True(container.StartupProbe.PeriodSeconds * container.StartupProbe.FailureThreshold >= 60, "a slow first start would be killed");
            Assert.Null(container.LivenessProbe.InitialDelaySeconds);
        }
    }

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void A_disruption_takes_one_aggregator_at_a_time_leaves_another_taking_readings_and_the_aggregators_spread_over_nodes(string overlay)
    {
        var objects = Manifests.Load(overlay);
        var aggregator = objects.Single<V1Deployment>("aggregator");
        var budget = objects.Single<V1PodDisruptionBudget>("aggregator");

        Assert.True(aggregator.Spec.Replicas >= 2);
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.All(budget.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, aggregator.Spec.Template.Metadata.Labels[label.Key]));
        Assert.DoesNotContain(budget.Spec.Selector.MatchLabels, label => objects.Single<V1Deployment>("sensors").Spec.Template.Metadata.Labels.Contains(label) && label.Key == "app.kubernetes.io/name");
        // A router outage makes every aggregator unready; it must not block node drains.
        Assert.Equal("AlwaysAllow", budget.Spec.UnhealthyPodEvictionPolicy);
        var spread = aggregator.Spec.Template.Spec.TopologySpreadConstraints.Single();
        Assert.Equal(("kubernetes.io/hostname", 1), (spread.TopologyKey, spread.MaxSkew));
        Assert.All(spread.LabelSelector.MatchLabels, label => Assert.Equal(label.Value, aggregator.Spec.Template.Metadata.Labels[label.Key]));
    }

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void The_network_policy_admits_remoting_from_the_cluster_and_inspection_and_management_from_the_namespace_only(string overlay)
    {
        var objects = Manifests.Load(overlay);
        var policy = objects.Single<V1NetworkPolicy>("actordemo");
        var podLabels = objects.Single<V1Deployment>("aggregator").Spec.Template.Metadata.Labels;

        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        Assert.All(policy.Spec.PodSelector.MatchLabels, label => Assert.Equal(label.Value, podLabels[label.Key]));
        var admitted = policy.Spec.Ingress.SelectMany(rule => rule.Ports.Select(port => (Port: port.Port.Value, From: rule.FromProperty.Single()))).ToDictionary(p => p.Port, p => p.From);
        Assert.Equal(["remoting", "management", "inspection"], admitted.Keys);
        Assert.Null(admitted["remoting"].NamespaceSelector);
        Assert.Equal("actordemo", admitted["remoting"].PodSelector.MatchLabels["app.kubernetes.io/part-of"]);
        Assert.All(new[] { "management", "inspection" }, port =>
        {
            Assert.Null(admitted[port].NamespaceSelector);
            Assert.Empty(admitted[port].PodSelector.MatchLabels ?? new Dictionary<string, string>());
        });
    }

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void Inspection_listens_on_the_pod_IP_and_takes_its_token_from_an_optional_secret(string overlay)
    {
        foreach (var container in ActorDemoContainers(Manifests.Load(overlay)))
        {
            Assert.Equal("status.podIP", container.Env.Single(e => e.Name == "ActorDemo__Inspection__Hostname").ValueFrom.FieldRef.FieldPath);
            var token = container.Env.Single(e => e.Name == "ActorDemo__Inspection__Token").ValueFrom.SecretKeyRef;
            Assert.Equal(("actordemo-inspection", "token", true), (token.Name, token.Key, token.Optional));
        }
    }

    private static IEnumerable<V1Container> ActorDemoContainers(IReadOnlyList<object> objects) =>
        new[] { "aggregator", "sensors" }.Select(name => objects.Single<V1Deployment>(name).Spec.Template.Spec.Containers.Single());

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void Labels_and_selectors_find_the_pods_the_discovery_looks_for(string overlay)
    {
        var objects = Manifests.Load(overlay);
        var config = objects.Single<V1ConfigMap>("actordemo").Data;
        var selector = string.Format(config["ActorDemo__Discovery__LabelSelector"], config["ActorDemo__Discovery__ServiceName"]);
        var (key, value) = selector.Split('=') is [var k, var v] ? (k, v) : throw new InvalidOperationException(selector);

        foreach (var deployment in objects.OfType<V1Deployment>().Where(d => d.Metadata.Name is "aggregator" or "sensors"))
        {
            var podLabels = deployment.Spec.Template.Metadata.Labels;
            Assert.Equal(value, podLabels[key]);
            Assert.All(deployment.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, podLabels[label.Key]));
            Assert.All(objects.Single<V1Service>("actordemo").Spec.Selector, label => Assert.Equal(label.Value, podLabels[label.Key]));
        }

        Assert.Equal(2, objects.Single<V1Deployment>("sensors").Spec.Replicas);
        Assert.Equal("kubernetes", config["ActorDemo__Discovery__Method"]);
        Assert.Equal("", config["ActorDemo__Node__Seeds"]);
    }

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void The_role_allows_what_the_discovery_calls_for_the_pods_service_account(string overlay)
    {
        var objects = Manifests.Load(overlay);
        var role = objects.OfType<V1Role>().Single();
        var rule = role.Rules.Single(r => r.Resources.Contains("pods"));
        Assert.Equal([""], rule.ApiGroups);
        // KubernetesPodDiscovery lists pods; get and watch as the issue and Akka's own discovery ask.
        Assert.Equal(["get", "list", "watch"], rule.Verbs.Order());
        var binding = objects.OfType<V1RoleBinding>().Single();
        Assert.Equal(role.Metadata.Name, binding.RoleRef.Name);
        var account = binding.Subjects.Single(s => s.Kind == "ServiceAccount").Name;
        Assert.Contains(objects.OfType<V1ServiceAccount>(), a => a.Metadata.Name == account);
        Assert.All(objects.OfType<V1Deployment>().Where(d => d.Metadata.Name is "aggregator" or "sensors"), d => Assert.Equal(account, d.Spec.Template.Spec.ServiceAccountName));
    }

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void Pods_run_as_non_root_on_a_read_only_root_with_limits_and_time_to_leave(string overlay)
    {
        foreach (var deployment in Manifests.Load(overlay).OfType<V1Deployment>())
        {
            var pod = deployment.Spec.Template.Spec;
            var container = pod.Containers.Single();
            Assert.True(pod.SecurityContext.RunAsNonRoot, deployment.Metadata.Name);
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, deployment.Metadata.Name);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation, deployment.Metadata.Name);
            Assert.NotNull(container.Resources.Requests);
            Assert.NotNull(container.Resources.Limits);
            if (deployment.Metadata.Name is "aggregator" or "sensors")
            {
                // CoordinatedShutdown: drain up to 5 s, leave (default phase timeouts), exit; well under the grace period.
                Assert.InRange(pod.TerminationGracePeriodSeconds ?? 30, 40, 120);
                Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp");
            }
        }
    }

    [Fact]
    public void The_enmasse_overlay_declares_the_anycast_addresses_and_points_the_pods_at_its_messaging_endpoint()
    {
        var objects = Manifests.Load("enmasse");
        var space = objects.OfType<AddressSpace>().Single();
        Assert.Equal(("standard", "enmasse.io/v1beta1"), (space.Spec.Type, space.ApiVersion));
        var addresses = objects.OfType<EnmasseAddress>().ToDictionary(a => a.Spec.Address);
        Assert.Equal(["max", "temperature"], addresses.Keys.Order());
        Assert.All(addresses.Values, a => Assert.Equal(("anycast", "standard-small-anycast"), (a.Spec.Type, a.Spec.Plan)));
        Assert.All(addresses.Values, a => Assert.StartsWith($"{space.Metadata.Name}.", a.Metadata.Name));

        var config = objects.Single<V1ConfigMap>("actordemo").Data;
        Assert.StartsWith("amqps://", config["ActorDemo__Amqp__Url"]);
        var secret = objects.OfType<V1Secret>().Single();
        foreach (var deployment in new[] { "aggregator", "sensors" })
        {
            var env = objects.Single<V1Deployment>(deployment).Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name);
            Assert.Equal(secret.Metadata.Name, env["ActorDemo__Amqp__User"].ValueFrom.SecretKeyRef.Name);
            Assert.Contains(env["ActorDemo__Amqp__User"].ValueFrom.SecretKeyRef.Key, secret.StringData.Keys);
            Assert.Contains(env["ActorDemo__Amqp__Password"].ValueFrom.SecretKeyRef.Key, secret.StringData.Keys);
        }

        var user = objects.OfType<MessagingUser>().Single();
        Assert.Equal(secret.StringData["user"], user.Spec.Username);
        Assert.Equal(secret.StringData["password"], System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(user.Spec.Authentication.Password)));
        Assert.Equal(["max", "temperature"], user.Spec.Authorization.SelectMany(a => a.Addresses).Order());
    }

    [Fact]
    public void The_enmasse_queue_overlay_puts_the_addresses_on_brokered_queues_marks_readings_durable_and_cuts_windows_by_event_time()
    {
        var objects = Manifests.Load("enmasse-queue");
        var space = objects.OfType<AddressSpace>().Single();
        Assert.Equal(("brokered", "brokered-single-broker"), (space.Spec.Type, space.Spec.Plan));
        var addresses = objects.OfType<EnmasseAddress>().ToDictionary(a => a.Spec.Address);
        Assert.Equal(["max", "temperature"], addresses.Keys.Order());
        Assert.All(addresses.Values, a => Assert.Equal(("queue", "brokered-queue"), (a.Spec.Type, a.Spec.Plan)));

        var config = objects.Single<V1ConfigMap>("actordemo").Data;
        Assert.Equal("true", config["ActorDemo__Amqp__Durable"]);
        Assert.Equal("temperature", config["ActorDemo__Amqp__Address"]);
        Assert.Equal(Manifests.Load("enmasse").Single<V1ConfigMap>("actordemo").Data["ActorDemo__Amqp__Url"], config["ActorDemo__Amqp__Url"]);
        var aggregator = objects.Single<V1Deployment>("aggregator").Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("event", aggregator["ActorDemo__Aggregator__WindowTime"]);
    }

    [Fact]
    public void The_enmasse_overlay_trusts_the_address_spaces_CA_from_a_secret_mounted_where_the_pods_look()
    {
        var objects = Manifests.Load("enmasse");
        foreach (var name in new[] { "aggregator", "sensors" })
        {
            var pod = objects.Single<V1Deployment>(name).Spec.Template.Spec;
            var container = pod.Containers.Single();
            var caFile = container.Env.Single(e => e.Name == "ActorDemo__Amqp__CaFile").Value;
            var mount = container.VolumeMounts.Single(m => caFile.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
            var secret = pod.Volumes.Single(v => v.Name == mount.Name).Secret;

            Assert.True(mount.ReadOnlyProperty);
            Assert.Equal(("actordemo-amqp-ca", "ca.crt"), (secret.SecretName, Path.GetFileName(caFile)));
        }
    }

    [Theory]
    [InlineData("router", "actordemo-router")]
    [InlineData("router-mesh", "actordemo-router-mesh")]
    public void The_routers_let_a_sensor_node_keep_all_its_readings_in_flight_until_their_window_is_recorded(string overlay, string configMap)
    {
        var conf = Manifests.Load(overlay).Single<V1ConfigMap>(configMap).Data["qdrouterd.conf"];
        var normal = Regex.Match(conf, @"listener \{[^}]*port: 5672[^}]*\}").Value;

        // Qpid Dispatch's default of 250 deliveries in flight per link would cap a sensor node at 250 / (window + grace + 1 s).
        var capacity = int.Parse(Regex.Match(normal, @"linkCapacity: (\d+)").Groups[1].Value);
        Assert.True(capacity >= new ActorDemo.Node.Hosting.AmqpOptions().MaxInFlight, $"linkCapacity {capacity}");
    }

    /// <summary>Every pod template of an overlay, by its owner's name: Deployments and StatefulSets.</summary>
    private static IEnumerable<(string Name, V1PodTemplateSpec Template)> PodTemplates(IReadOnlyList<object> objects) =>
        objects.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
            .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template)));

    [Theory]
    [MemberData(nameof(Overlays))]
    public void A_container_that_must_run_as_non_root_names_its_user_unless_its_image_is_ours(string overlay)
    {
        foreach (var (name, template) in PodTemplates(Manifests.Load(overlay)))
        {
            var pod = template.Spec;
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                var nonRoot = container.SecurityContext?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot ?? false;
                var user = container.SecurityContext?.RunAsUser ?? pod.SecurityContext?.RunAsUser;
                // Ours sets a numeric USER (the Dockerfile's $APP_UID); another image's user the kubelet cannot check, and refuses to start it.
                Assert.True(
                    !nonRoot || user is > 0 || container.Image.StartsWith("actordemo/", StringComparison.Ordinal),
                    $"{name}/{container.Name} ({container.Image}) must run as non-root but names no user");
            }
        }
    }

    [Theory]
    [InlineData("router", "actordemo-router")]
    [InlineData("router-mesh", "actordemo-router-mesh")]
    public void Only_ActorDemos_pods_reach_a_routers_AMQP_port_and_only_routers_its_inter_router_port(string overlay, string router)
    {
        var objects = Manifests.Load(overlay);
        var policy = objects.OfType<V1NetworkPolicy>().Single(p => p.Spec.PodSelector.MatchLabels.TryGetValue("app.kubernetes.io/name", out var name) && name == router);
        var pod = PodTemplates(objects).Single(t => t.Name == router).Template;
        Assert.All(policy.Spec.PodSelector.MatchLabels, label => Assert.Equal(label.Value, pod.Metadata.Labels[label.Key]));
        var admitted = policy.Spec.Ingress.SelectMany(rule => rule.Ports.Select(port => (port.Port.Value, rule.FromProperty.Single().PodSelector.MatchLabels.Single()))).ToList();
        var containerPorts = pod.Spec.Containers.Single().Ports.Select(p => p.Name).ToHashSet();
        Assert.Contains(("amqp", KeyValuePair.Create("app.kubernetes.io/part-of", "actordemo")), admitted);
        Assert.DoesNotContain(admitted, a => a.Item1 == "http");
        if (containerPorts.Contains("inter-router"))
        {
            Assert.Contains(("inter-router", KeyValuePair.Create("app.kubernetes.io/name", router)), admitted);
        }

        Assert.All(admitted, a => Assert.Contains(a.Item1, containerPorts));
        Assert.Equal("actordemo", objects.OfType<V1Deployment>().First(d => d.Metadata.Name == "sensors").Spec.Template.Metadata.Labels["app.kubernetes.io/part-of"]);
    }

    [Theory]
    [MemberData(nameof(ActorDemoOverlays))]
    public void A_sensor_pod_has_the_memory_a_node_scaled_to_the_fleet_bound_was_measured_to_need(string overlay)
    {
        // docs/benchmarks.md: 100,000 sensors at 1 Hz on one node, 746 MiB resident on default flags.
        const long measuredAtTheBound = 746L * 1024 * 1024;
        var sensors = Manifests.Load(overlay).Single<V1Deployment>("sensors").Spec.Template.Spec.Containers.Single();
        Assert.True(sensors.Resources.Limits["memory"].ToInt64() > measuredAtTheBound, $"the sensor pods' memory limit is {sensors.Resources.Limits["memory"]}");
    }

    [Fact]
    public void The_standalone_router_is_replaced_not_rolled_so_that_two_unconnected_routers_never_share_its_service() =>
        Assert.Equal("Recreate", Manifests.Load("router").Single<V1Deployment>("actordemo-router").Spec.Strategy.Type);

    [Fact]
    public void The_router_overlay_runs_a_balanced_router_for_both_addresses_and_points_the_pods_at_it()
    {
        var objects = Manifests.Load("router");
        var conf = objects.Single<V1ConfigMap>("actordemo-router").Data["qdrouterd.conf"];
        foreach (var address in new[] { "temperature", "max" })
        {
            Assert.Matches($@"address \{{\s*prefix: {address}\s*distribution: balanced\s*\}}", conf);
        }

        var service = objects.Single<V1Service>("actordemo-router");
        var url = new Uri(objects.Single<V1ConfigMap>("actordemo").Data["ActorDemo__Amqp__Url"]);
        Assert.Equal((service.Metadata.Name, service.Spec.Ports.Single().Port), (url.Host, url.Port));
        var router = objects.Single<V1Deployment>("actordemo-router").Spec.Template;
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, router.Metadata.Labels[label.Key]));
        Assert.Contains(router.Spec.Containers.Single().Ports, p => p.ContainerPort == 5672 && p.Name == (string)service.Spec.Ports.Single().TargetPort);
    }

    [Fact]
    public void The_router_mesh_overlay_runs_interior_routers_that_reach_each_other_and_points_the_pods_at_any_of_them()
    {
        var objects = Manifests.Load("router-mesh");
        var config = objects.Single<V1ConfigMap>("actordemo-router-mesh").Data;
        Assert.Matches(@"router \{\s*mode: interior\s*\}", config["qdrouterd.conf"]);
        foreach (var address in new[] { "temperature", "max" })
        {
            Assert.Matches($@"address \{{\s*prefix: {address}\s*distribution: balanced\s*\}}", config["qdrouterd.conf"]);
        }

        var routers = objects.Single<V1StatefulSet>("actordemo-router-mesh");
        Assert.True(routers.Spec.Replicas >= 2);
        var mesh = objects.Single<V1Service>(routers.Spec.ServiceName);
        Assert.Equal("None", mesh.Spec.ClusterIP);
        var pod = routers.Spec.Template;
        var router = pod.Spec.Containers.Single();
        Assert.Contains(router.Ports, p => p.Name == (string)mesh.Spec.Ports.Single().TargetPort && p.ContainerPort == 55672);
        Assert.Contains("port: 55672\n    role: inter-router", config["qdrouterd.conf"]);

        // The init container writes the file the router reads, naming the routers through the mesh Service.
        var configure = pod.Spec.InitContainers.Single();
        Assert.Equal(mesh.Metadata.Name, configure.Env.Single(e => e.Name == "MESH_SERVICE").Value);
        Assert.Contains("/var/run/qdrouterd/qdrouterd.conf", router.Command);
        Assert.Equal(
            configure.VolumeMounts.Single(m => m.MountPath == "/var/run/qdrouterd").Name,
            router.VolumeMounts.Single(m => m.MountPath == "/var/run/qdrouterd").Name);
        Assert.All(pod.Spec.Containers.Concat(pod.Spec.InitContainers), c => Assert.True(c.SecurityContext.ReadOnlyRootFilesystem));
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);

        var service = objects.Single<V1Service>("actordemo-router");
        var url = new Uri(objects.Single<V1ConfigMap>("actordemo").Data["ActorDemo__Amqp__Url"]);
        Assert.Equal((service.Metadata.Name, service.Spec.Ports.Single().Port), (url.Host, url.Port));
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, pod.Metadata.Labels[label.Key]));
    }

    [Fact]
    public void The_spark_part_is_a_standalone_master_with_its_service_and_a_worker_on_the_official_image()
    {
        var objects = Manifests.Load("spark");
        var master = objects.Single<V1Deployment>("spark-master");
        var worker = objects.Single<V1Deployment>("spark-worker");
        Assert.All(new[] { master, worker }, d => Assert.Equal("apps/v1", d.ApiVersion));
        Assert.All(new[] { master, worker }, d => Assert.StartsWith("apache/spark:", d.Spec.Template.Spec.Containers.Single().Image));
        var service = objects.Single<V1Service>("spark-master");
        Assert.Equal([7077, 8080], service.Spec.Ports.Select(p => p.Port).Order());
        Assert.Contains($"spark://{service.Metadata.Name}:7077", worker.Spec.Template.Spec.Containers.Single().Command);
    }

    /// <summary>The environment variables an executable binds, from its own --help.</summary>
    private static HashSet<string> OptionsOf(string executable)
    {
        var path = BuiltExecutables.Path(executable);
        var info = new ProcessStartInfo(path, "--help") { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var help = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return EnvironmentVariable().Matches(help).Select(m => m.Groups[1].Value).ToHashSet();
    }

    [GeneratedRegex(@"\[env: (ActorDemo__[A-Za-z_]+)\]")]
    private static partial Regex EnvironmentVariable();
}
