using System.Diagnostics;
using Xunit;

namespace ActorDemo.Deploy.Tests;

/// <summary>
/// deploy/prometheus: the alerting rules for drops, stalled windows and unready links, checked by
/// Prometheus' own promtool (Debian's prometheus package; ./test.sh installs it): the rules parse,
/// and their unit tests (actordemo-alerts.test.yaml) fire and stay silent where they should. That the
/// nodes export every metric the rules read is an end-to-end spec (ObservabilitySpecs).
/// </summary>
public sealed class AlertRuleSpecs
{
    private static readonly string Folder = Path.Combine(Manifests.Root, "deploy", "prometheus");

    [Fact]
    public async Task The_rules_are_valid_prometheus_rules()
    {
        var (status, output) = await Promtool("check", "rules", "actordemo-alerts.yaml");

        Assert.True(status == 0, output);
        Assert.Contains("SUCCESS: 3 rules found", output);
    }

    [Fact]
    public async Task The_rules_fire_on_drops_stalled_windows_and_links_down_and_stay_silent_otherwise()
    {
        var (status, output) = await Promtool("test", "rules", "actordemo-alerts.test.yaml");

        Assert.True(status == 0, output);
    }

    private static async Task<(int Status, string Output)> Promtool(params string[] arguments)
    {
        var info = new ProcessStartInfo("promtool") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var promtool = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start; ./test.sh installs Debian's prometheus package.");
        var (output, errors) = (promtool.StandardOutput.ReadToEndAsync(), promtool.StandardError.ReadToEndAsync());
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, await output + await errors);
    }
}
