using System.Text.Json;
using Xunit;

namespace ActorDemo.Aggregator.Tests;

/// <summary>What <c>windows show</c> prints from the report its route answers.</summary>
public sealed class WindowsShowSpecs
{
    [Fact]
    public void Windows_show_names_the_nodes_whose_readings_came_late_and_how_many()
    {
        var text = WindowInspection.Render(Read<WindowsReport>("""
            {"windows":[{"windowStart":"2026-12-03T07:00:00Z","windowEnd":"2026-12-03T07:00:05Z","max":23.9,"deviceId":"sensor-a-0019","count":30,"nodes":2,"incarnation":9,
                         "partials":[{"node":"akka.tcp://actordemo@a:4053","count":10,"late":0},{"node":"akka.tcp://actordemo@b:4053","count":20,"late":3}]},
                        {"windowStart":"2026-12-03T07:00:05Z","windowEnd":"2026-12-03T07:00:10Z","max":22.1,"deviceId":"sensor-a-0002","count":5,"nodes":1,"incarnation":9,
                         "partials":[{"node":"akka.tcp://actordemo@a:4053","count":5,"late":0}]}],
             "recentMaximum":null}
            """));

        var lines = text.Split('\n');
        Assert.EndsWith("(late: akka.tcp://actordemo@b:4053 3)", lines[0]);
        Assert.DoesNotContain("late", lines[1]);
    }

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web)!;
}
