using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace ActorDemo.Shared.Hosting;

/// <summary>
/// Finds keys under <c>ActorDemo</c> that no option reads, such as <c>ActorDemo__Sensors__Cuont</c>
/// or a typo in appsettings.json. The configuration binder ignores them, so a setting the operator
/// believes made would silently keep its default.
/// </summary>
public static class UnknownSettings
{
    private static readonly IReadOnlyDictionary<string, Type?> Known = Settable(typeof(ActorDemoOptions), ActorDemoOptions.Section);

    public static IEnumerable<OptionProblem> In(IConfiguration configuration) =>
        Leaves(configuration.GetSection(ActorDemoOptions.Section))
            .Where(key => !Known.ContainsKey(key))
            .Select(key => new OptionProblem(key, $"no option has this name{Suggestion(key)}; it would be ignored"));

    private static IEnumerable<string> Leaves(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? [] : [section.Path];
        }

        // A section that is itself an option (a value set on an object) is judged by its own key.
        return Known.TryGetValue(section.Path, out var type) && type is null ? [section.Path] : children.SelectMany(Leaves);
    }

    private static string Suggestion(string key)
    {
        var closest = Known.Where(known => known.Value is null)
            .Select(known => known.Key)
            .MinBy(known => Distance(known.ToLowerInvariant(), key.ToLowerInvariant()));
        return closest is not null && Distance(closest.ToLowerInvariant(), key.ToLowerInvariant()) <= 3
            ? $" (did you mean {NodeCommandLine.Describe(closest)}?)"
            : "";
    }

    /// <summary>Every bindable key under <paramref name="prefix"/>: options map to null, groups of options to their type.</summary>
    private static Dictionary<string, Type?> Settable(Type type, string prefix)
    {
        var keys = new Dictionary<string, Type?>(StringComparer.OrdinalIgnoreCase) { [prefix] = type };
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var key = $"{prefix}:{property.Name}";
            if (IsGroup(property.PropertyType))
            {
                foreach (var (nested, nestedType) in Settable(property.PropertyType, key))
                {
                    keys[nested] = nestedType;
                }
            }
            else
            {
                keys[key] = null;
            }
        }

        return keys;
    }

    private static bool IsGroup(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(ActorDemoOptions).Namespace;

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
