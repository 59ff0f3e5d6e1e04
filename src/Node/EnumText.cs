using System.Text.RegularExpressions;

namespace ActorDemo.Node;

/// <summary>Enum values as people type them and metric labels carry them: <c>at-least-once</c>, <c>not-amqp</c>.</summary>
public static partial class EnumText
{
    public static string Kebab(this Enum value) => WordStart().Replace(value.ToString(), "$1-$2").ToLowerInvariant();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex WordStart();
}
