using System.Text.Json;
using ActorDemo.Node.Inspection;
using Xunit;

namespace ActorDemo.Shared.Tests.Inspection;

public sealed class RenderSpecs
{
    [Fact]
    public void Amqp_show_has_a_column_for_every_counter_of_a_link()
    {
        var table = Render.Amqp(Json("""
            {"links":[{"name":"readings-out","address":"temperature","state":"Attached","sent":10,"presettled":0,"received":0,"accepted":7,
                       "rejected":0,"released":1,"resent":1,"pending":2,"unsettled":1,"reconnects":0,"lastError":"amqp:connection:forced"}],"router":null}
            """));

        var (header, row) = HeaderAndRow(table);
        Assert.Equal(header.Length, row.Length);
        Assert.Equal("2", row[Array.IndexOf(header, "PENDING")]);
        Assert.Equal("1", row[Array.IndexOf(header, "UNSETTLED")]);
    }

    [Fact]
    public void Sensors_show_tells_rejected_and_pending_from_unsettled_and_a_node_that_did_not_answer_keeps_the_columns()
    {
        var table = Render.Sensors(Json("""
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
        var table = Render.Sensors(Json("""
            {"nodes":[{"node":"a","sensors":10,"offered":100,"dropped":7,"buffered":3,"sent":90,"accepted":80,"rejected":0,"pending":4,"unsettled":6,"link":"Attached",
                       "stall":"no-receiver","stallReason":"'temperature' is anycast, so no reading can leave while no receiver is attached; start an aggregator.","error":null}]}
            """));

        var lines = table.Split('\n');
        Assert.Equal("no-receiver", Cells(lines[1])[Array.IndexOf(Cells(lines[0]), "WAITING ON")]);
        Assert.Equal("a: 'temperature' is anycast, so no reading can leave while no receiver is attached; start an aggregator.", lines[2]);
    }

    [Fact]
    public void Windows_show_names_the_nodes_whose_readings_came_late_and_how_many()
    {
        var text = Render.Windows(Json("""
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

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static (string[] Header, string[] Row) HeaderAndRow(string table)
    {
        var lines = table.Split('\n');
        return (Cells(lines[0]), Cells(lines[1]));
    }

    // Columns are separated by two spaces or more; headers such as LAST ERROR hold one.
    private static string[] Cells(string line) =>
        System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}");
}
