using System.Text.Json;
using Xunit;

namespace ActorDemo.Sensors.Tests;

/// <summary>What <c>sensors show</c> prints from the report its route answers.</summary>
public sealed class SensorsShowSpecs
{
    [Fact]
    public void Sensors_show_tells_rejected_and_pending_from_unsettled_and_a_node_that_did_not_answer_keeps_the_columns()
    {
        var table = SensorInspection.Render(Read<SensorsReport>("""
            {"nodes":[{"node":"a","sensors":10,"offered":100,"dropped":0,"buffered":3,"sent":90,"accepted":80,"rejected":2,"pending":4,"unsettled":6,"link":"Attached","error":null},
                      {"node":"b","sensors":0,"offered":0,"dropped":0,"buffered":0,"sent":0,"accepted":0,"rejected":0,"pending":0,"unsettled":0,"link":"","error":"no answer within 5 s"}]}
            """));

        var lines = table.Split('\n');
        var header = Cells(lines[0]);
        Assert.Equal(("2", "4", "6"), (Cells(lines[1])[Array.IndexOf(header, "REJECTED")], Cells(lines[1])[Array.IndexOf(header, "PENDING")], Cells(lines[1])[Array.IndexOf(header, "UNSETTLED")]));
        Assert.EndsWith("no answer within 5 s", lines[2]);
    }

    [Fact]
    public void Sensors_show_names_why_a_nodes_readings_wait_and_says_what_lifts_it_below_the_table()
    {
        var table = SensorInspection.Render(Read<SensorsReport>("""
            {"nodes":[{"node":"a","sensors":10,"offered":100,"dropped":7,"buffered":3,"sent":90,"accepted":80,"rejected":0,"pending":4,"unsettled":6,"link":"Attached",
                       "stall":"no-receiver","stallReason":"'temperature' is anycast, so no reading can leave while no receiver is attached; start an aggregator.","error":null}]}
            """));

        var lines = table.Split('\n');
        Assert.Equal("no-receiver", Cells(lines[1])[Array.IndexOf(Cells(lines[0]), "WAITING ON")]);
        Assert.Equal("a: 'temperature' is anycast, so no reading can leave while no receiver is attached; start an aggregator.", lines[2]);
    }

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web)!;

    // Columns are separated by two spaces or more; headers such as WAITING ON hold one.
    private static string[] Cells(string line) =>
        System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}");
}
