using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ActorDemo.Node.Inspection;

/// <summary>The tables the node's own <c>cmd</c> commands print for people, from the JSON its routes serve.</summary>
internal static class Render
{
    public static string Cluster(JsonElement body)
    {
        var self = Text(body, "selfNode");
        var leader = Text(body, "leader");
        var oldest = Text(body, "oldest");
        var unreachable = body.GetProperty("unreachable").EnumerateArray().Select(u => Text(u, "node")).ToHashSet();
        var rows = body.GetProperty("members").EnumerateArray().Select(m =>
        {
            var node = Text(m, "node");
            var marks = new[] { node == self ? "self" : null, node == leader ? "leader" : null, node == oldest ? "oldest" : null, unreachable.Contains(node) ? "UNREACHABLE" : null };
            return new[] { node, Text(m, "status"), string.Join(",", Strings(m, "roles")), string.Join(" ", marks.OfType<string>()) };
        });
        return ReportText.Table(["ADDRESS", "STATUS", "ROLES", ""], rows);
    }

    public static string ClusterChange(JsonElement change) =>
        $"{Time(change, "at")}  {Text(change, "event"),-18} {Text(change, "node")}  {Text(change, "status")}  [{string.Join(",", Strings(change, "roles"))}]";

    public static string Actors(JsonElement body)
    {
        var text = new StringBuilder();
        void Walk(JsonElement node, int level)
        {
            var below = node.GetProperty("below");
            var children = node.GetProperty("children").GetInt32();
            var hidden = children > below.GetArrayLength() ? $"  ({children} children)" : "";
            text.Append(' ', level * 2).Append(Text(node, "path")).AppendLine(hidden);
            foreach (var child in below.EnumerateArray())
            {
                Walk(child, level + 1);
            }
        }

        foreach (var root in body.EnumerateArray())
        {
            Walk(root, 0);
        }

        return text.ToString().TrimEnd();
    }

    public static string Amqp(JsonElement body)
    {
        var links = ReportText.Table(
            ["LINK", "ADDRESS", "STATE", "SENT", "PRESETTLED", "RECEIVED", "ACCEPTED", "REJECTED", "RELEASED", "RESENT", "PENDING", "UNSETTLED", "RECONNECTS", "LAST ERROR"],
            body.GetProperty("links").EnumerateArray().Select(l => new[]
            {
                Text(l, "name"), Text(l, "address"), Text(l, "state"), Number(l, "sent"), Number(l, "presettled"), Number(l, "received"), Number(l, "accepted"),
                Number(l, "rejected"), Number(l, "released"), Number(l, "resent"), Number(l, "pending"), Number(l, "unsettled"), Number(l, "reconnects"), Text(l, "lastError"),
            }));
        if (body.GetProperty("router").ValueKind != JsonValueKind.Array)
        {
            return links;
        }

        var router = ReportText.Table(
            ["ROUTER ADDRESS", "SENDERS", "RECEIVERS", "SENDER CREDIT", "RECEIVER CREDIT", "ROUTED", "RELEASED"],
            body.GetProperty("router").EnumerateArray().Select(a => new[]
            {
                Text(a, "address"), Number(a, "producers"), Number(a, "consumers"), Number(a, "producerCredit"), Number(a, "consumerCredit"), Number(a, "routed"), Number(a, "released"),
            }));
        return $"{links}\n\n{router}";
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "";

    private static string Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? ReportText.Number(value.GetInt64()) : "";

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(v => v.GetString() ?? "");

    private static string Time(JsonElement element, string name) =>
        element.GetProperty(name).GetDateTimeOffset().ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}

/// <summary>How <c>cmd</c> lays out a report for people, for the node's commands and the roles' alike.</summary>
public static class ReportText
{
    /// <summary>Columns as wide as their widest cell, two spaces apart, the header first.</summary>
    public static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        return string.Join('\n', all.Select(r => string.Join("  ", r.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()));
    }

    /// <summary>A count with thousands separated: 12,000.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
