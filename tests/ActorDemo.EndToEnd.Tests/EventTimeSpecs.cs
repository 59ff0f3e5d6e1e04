using System.Text.Json;
using ActorDemo.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.EndToEnd.Tests;

/// <summary>
/// Windows by event time with sensors whose clocks are wrong (set off with libfaketime), through the
/// embedded router: a clock behind cannot hold the watermark back, its readings are counted late in
/// the windows they were taken in; one far ahead is rejected as from the future.
/// </summary>
public sealed class EventTimeSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(90);
    private readonly Nodes _nodes = new(report: line => output.WriteLine(line));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task A_sensor_clock_behind_has_its_readings_counted_late_and_one_far_ahead_is_rejected_while_windows_go_on()
    {
        var aggregator = _nodes.StartAggregator("--window-time", "event");
        await Nodes.AttachedAsync(aggregator);
        _nodes.StartSensors("--sensors", "10", "--steady-temperature", "20", "--node-name", "ontime");
        // Windows of a second have gone out before the lagging sensors start: their readings' windows are in the history.
        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains(" readings from ")) >= 8, Formation);

        // Five seconds behind: later than the allowed lateness (2 s). An hour ahead: beyond the future limit (10 s).
        _nodes.StartSensorsWithClock(TimeSpan.FromSeconds(-5), "--sensors", "10", "--steady-temperature", "30", "--node-name", "behind");
        _nodes.StartSensorsWithClock(TimeSpan.FromHours(1), "--sensors", "10", "--steady-temperature", "40", "--node-name", "ahead");
        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains("Cluster member up:")) == 4, Formation);
        await aggregator.WaitForLineAsync(l => l.Contains("came after"), Formation);
        var windowsBefore = aggregator.Lines.Count(l => l.Contains(" readings from "));
        await aggregator.WaitForLineAsync(_ => aggregator.Lines.Count(l => l.Contains(" readings from ")) >= windowsBefore + 5, Formation);

        var totals = await Nodes.StopSensorsAsync(_nodes.Inspection);
        output.WriteLine(totals.ToString());
        Assert.True(totals.Rejected > 0, totals.ToString());
        Assert.Contains(aggregator.Lines, l => l.Contains("ahead of the cluster's clock, more than --future-limit"));
        await Eventually.Assert(
            async () =>
            {
                var windows = await HistoryAsync();
                Assert.Equal(totals.Accepted, windows.Sum(w => w.Count));
                Assert.True(windows.Sum(w => w.Late) > 0, "no late reading in the history");
                // The clock ahead moved nothing: no window lies in the future, and none holds its readings.
                Assert.All(windows, w => Assert.True(w.Start < DateTimeOffset.UtcNow && w.Max < 40, $"window {w.Start:O}, max {w.Max}"));
            },
            Formation);
    }

    private async Task<List<(DateTimeOffset Start, int Count, double Max, int Late)>> HistoryAsync()
    {
        var (_, lines) = await _nodes.Cmd("windows", "show", "-n", "1000", "--json");
        using var json = JsonDocument.Parse(string.Join('\n', lines));
        return json.RootElement.GetProperty("windows").EnumerateArray()
            .Select(w => (
                w.GetProperty("windowStart").GetDateTimeOffset(),
                w.GetProperty("count").GetInt32(),
                w.GetProperty("max").GetDouble(),
                w.GetProperty("partials").EnumerateArray().Sum(p => p.GetProperty("late").GetInt32())))
            .ToList();
    }
}
