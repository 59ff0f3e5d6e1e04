using System.Globalization;
using ActorDemo.Testing;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>
/// The dashboard in a real browser: Debian's chromium, driven by Playwright, against the aggregator
/// executable as the main command runs it (with its sensors, 1-second windows).
/// </summary>
public sealed class DashboardSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Where test.sh's set-up installs it; ACTORDEMO_CHROMIUM names another.</summary>
    private static readonly string Chromium = Environment.GetEnvironmentVariable("ACTORDEMO_CHROMIUM") ?? "/usr/bin/chromium";

    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);
    private readonly Nodes _nodes = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"No browser at {Chromium}: run ./test.sh as root once (it installs Debian's chromium), or set ACTORDEMO_CHROMIUM.");
        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: the tests may run as root, where chromium refuses its sandbox.
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _nodes.DisposeAsync();
    }

    [Fact]
    public async Task The_chart_shows_each_windows_maximum_and_the_members_list_shows_the_node_up()
    {
        _nodes.StartAggregator("--with-sensors", "--sensors", "3", "--steady-temperature", "20");
        var page = await OpenDashboardAsync();

        var points = page.Locator("#chart circle.point");
        await Eventually.Assert(async () => Assert.True(await points.CountAsync() >= 3), Formation);
        foreach (var point in await points.AllAsync())
        {
            // A window may catch only some of the sensors (the first often does); its maximum is the steady reading of its device.
            var device = (await point.GetAttributeAsync("data-device"))!;
            var max = double.Parse((await point.GetAttributeAsync("data-max"))!, CultureInfo.InvariantCulture);
            Assert.Equal(WindowOnWire.SteadyReading(device, 20), max);
        }

        Assert.Contains(await page.Locator("#chart circle.point title").AllTextContentsAsync(), title => title.Contains("max 20.2 °C"));
        var member = page.Locator("#members tbody tr");
        await Eventually.Assert(async () => Assert.Equal(["Up"], await member.Locator("td:nth-child(3)").AllTextContentsAsync()), Formation);
        Assert.Contains("aggregator", await member.Locator("td:nth-child(2)").TextContentAsync());
        await SaveScreenshotAsync(page, "dashboard.png");
    }

    [Fact]
    public async Task The_page_keeps_updating_while_a_sensor_process_joins_and_leaves()
    {
        _nodes.StartAggregator("--with-sensors", "--sensors", "2", "--steady-temperature", "20");
        var page = await OpenDashboardAsync();
        var members = page.Locator("#members tbody tr");
        var points = page.Locator("#chart circle.point");
        await Eventually.Assert(async () => Assert.Equal(1, await members.CountAsync()), Formation);

        var sensors = _nodes.StartSensors("--sensors", "5", "--steady-temperature", "30", "--node-name", "joiner");
        await Eventually.Assert(async () => Assert.Equal(["Up", "Up"], await members.Locator("td:nth-child(3)").AllTextContentsAsync()), Formation);
        // The joiner's hotter readings reach the chart: sensor 4 of 30 °C reads 30.4.
        await Eventually.Assert(async () => Assert.Contains("30.4", await page.Locator("#latest-max").TextContentAsync()), Formation);

        sensors.Terminate();
        await Eventually.Assert(async () => Assert.Equal(1, await members.CountAsync()), Formation);
        var afterLeave = await points.CountAsync();
        await Eventually.Assert(async () => Assert.True(await points.CountAsync() > afterLeave + 1), Formation);
        await Eventually.Assert(async () => Assert.Contains("20.1", await page.Locator("#latest-max").TextContentAsync()), Formation);
        await SaveScreenshotAsync(page, "dashboard-after-leave.png");
    }

    [Fact]
    public async Task The_sensor_fleets_offered_sent_and_dropped_readings_per_second_are_shown_for_the_whole_cluster()
    {
        _nodes.StartAggregator("--with-sensors", "--sensors", "2", "--steady-temperature", "20");
        var page = await OpenDashboardAsync();
        // A second sensor node, in a process of its own: 5 sensors at 5 Hz.
        _nodes.StartSensors("--sensors", "5", "--steady-temperature", "20", "--node-name", "other");

        await Eventually.Assert(async () => Assert.Equal("2 sensor nodes", await page.Locator("#fleet-nodes").TextContentAsync()), Formation);
        await Eventually.Assert(
            async () =>
            {
                // Both nodes: 2 readings/s here and 25/s there, whatever the jitter of one second's sample.
                var offered = int.Parse((await page.Locator("#fleet-offered-rate").TextContentAsync())!, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                Assert.InRange(offered, 15, 40);
                Assert.NotEqual("–", await page.Locator("#fleet-sent-rate").TextContentAsync());
            },
            Formation);
        Assert.Equal("0", await page.Locator("#fleet-dropped-rate").TextContentAsync());
    }

    private async Task<IPage> OpenDashboardAsync()
    {
        await Eventually.Assert(
            async () =>
            {
                using var http = new HttpClient();
                Assert.True((await http.GetAsync($"http://{_nodes.Inspection}/")).IsSuccessStatusCode);
            },
            Formation);
        var page = await _browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync($"http://{_nodes.Inspection}/");
        return page;
    }

    /// <summary>Kept beside the test results, as the run's artifact.</summary>
    private async Task SaveScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
