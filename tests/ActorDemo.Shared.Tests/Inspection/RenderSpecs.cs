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
