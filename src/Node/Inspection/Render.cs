using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorDemo.Readings;

namespace ActorDemo.Node.Inspection;

/// <summary>The tables <c>cmd</c> prints for people, from the JSON the node serves.</summary>
internal static class Render
{
    public static string Message(JsonElement body) =>
        body.TryGetProperty("message", out var message) ? message.GetString() ?? "" : body.GetRawText();

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
        return Table(["ADDRESS", "STATUS", "ROLES", ""], rows);
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

    public static string Sensors(JsonElement body) =>
        Table(
            ["NODE", "SENSORS", "OFFERED", "DROPPED", "BUFFERED", "SENT", "ACCEPTED", "REJECTED", "PENDING", "UNSETTLED", "LINK", "WAITING ON"],
            body.GetProperty("nodes").EnumerateArray().Select(n => Text(n, "error") is { Length: > 0 } error
                ? new[] { Text(n, "node"), "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", error }
                : [Text(n, "node"), FleetSize(n), Number(n, "offered"), Number(n, "dropped"), Number(n, "buffered"), Number(n, "sent"), Number(n, "accepted"), Number(n, "rejected"), Number(n, "pending"), Number(n, "unsettled"), Text(n, "link"), Text(n, "stall")]))
            + string.Concat(body.GetProperty("nodes").EnumerateArray()
                .Where(n => Text(n, "stallReason") is { Length: > 0 })
                .Select(n => $"\n{Text(n, "node")}: {Text(n, "stallReason")}"));

    /// <summary>The sensors a node runs; while it grows, with the size it grows to (<c>12,000 of 50,000</c>).</summary>
    private static string FleetSize(JsonElement node) =>
        node.TryGetProperty("target", out var target) && target.GetInt32() != node.GetProperty("sensors").GetInt32()
            ? $"{Number(node, "sensors")} of {Number(node, "target")}"
            : Number(node, "sensors");

    public static string Window(JsonElement window) => new WindowMaximum(
        window.GetProperty("windowStart").GetDateTimeOffset(),
        window.GetProperty("windowEnd").GetDateTimeOffset(),
        window.GetProperty("max").GetDouble(),
        Text(window, "deviceId"),
        window.GetProperty("count").GetInt32(),
        window.GetProperty("nodes").GetInt32(),
        window.TryGetProperty("incarnation", out var incarnation) ? incarnation.GetInt64() : 0).Describe() + LateReadings(window);

    /// <summary>The readings each node counted after the window had closed there (event time); nothing when none.</summary>
    private static string LateReadings(JsonElement window)
    {
        var late = window.TryGetProperty("partials", out var partials)
            ? partials.EnumerateArray().Where(p => p.TryGetProperty("late", out var n) && n.GetInt32() > 0).Select(p => $"{Text(p, "node")} {Number(p, "late")}").ToList()
            : [];
        return late.Count == 0 ? "" : $" (late: {string.Join(", ", late)})";
    }

    public static string Windows(JsonElement body)
    {
        var lines = body.GetProperty("windows").EnumerateArray().Select(Window).ToList();
        var recent = body.GetProperty("recentMaximum");
        lines.Add(recent.ValueKind == JsonValueKind.Object ? $"recent maximum: {Window(recent)}" : "no window yet");
        return string.Join('\n', lines);
    }

    public static string Amqp(JsonElement body)
    {
        var links = Table(
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

        var router = Table(
            ["ROUTER ADDRESS", "SENDERS", "RECEIVERS", "SENDER CREDIT", "RECEIVER CREDIT", "ROUTED", "RELEASED"],
            body.GetProperty("router").EnumerateArray().Select(a => new[]
            {
                Text(a, "address"), Number(a, "producers"), Number(a, "consumers"), Number(a, "producerCredit"), Number(a, "consumerCredit"), Number(a, "routed"), Number(a, "released"),
            }));
        return $"{links}\n\n{router}";
    }

    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        return string.Join('\n', all.Select(r => string.Join("  ", r.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()));
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "";

    private static string Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64().ToString("N0", CultureInfo.InvariantCulture) : "";

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(v => v.GetString() ?? "");

    private static string Time(JsonElement element, string name) =>
        element.GetProperty(name).GetDateTimeOffset().ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
