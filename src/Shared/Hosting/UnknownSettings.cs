using System.ComponentModel;
using System.Reflection;
using ActorDemo.Shared.Amqp;
using Microsoft.Extensions.Configuration;

namespace ActorDemo.Shared.Hosting;

/// <summary>
/// What the configuration under <c>ActorDemo</c> holds that no option can take: keys no option reads,
/// such as <c>ActorDemo__Sensors__Cuont</c> or a typo in appsettings.json (the binder would ignore
/// them, so a setting the operator believes made would silently keep its default), and values that
/// do not convert to their option's type (found here, before binding, so that the problem names the
/// option rather than hiding in the binder's exception).
/// </summary>
public static class UnknownSettings
{
    /// <summary>Every bindable key: options map to their type, groups of options to null.</summary>
    private static readonly IReadOnlyDictionary<string, Type?> Known = Settable(typeof(ActorDemoOptions), ActorDemoOptions.Section);

    public static IEnumerable<OptionProblem> In(IConfiguration configuration) =>
        Leaves(configuration.GetSection(ActorDemoOptions.Section))
            .Select(key => Known.TryGetValue(key, out var type)
                ? Unconvertible(key, configuration[key], type)
                : new OptionProblem(key, $"no option has this name{Suggestion(key)}; it would be ignored"))
            .OfType<OptionProblem>();

    private static OptionProblem? Unconvertible(string key, string? value, Type? type)
    {
        var target = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (value is null || target is null || target == typeof(string) || (value.Length == 0 && target != type))
        {
            return null;
        }

        try
        {
            TypeDescriptor.GetConverter(target).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return new OptionProblem(key, $"'{value}' is not a valid {Friendly(target)}", Unconvertible: true);
        }
    }

    private static string Friendly(Type type) => type switch
    {
        _ when type == typeof(int) => "whole number",
        _ when type == typeof(double) => "number",
        _ when type == typeof(TimeSpan) => "time (such as 5s, 500ms or 00:00:05)",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(DeliveryMode) => "delivery (AtLeastOnce or AtMostOnce; the flag also takes at-least-once, at-most-once)",
        _ when type == typeof(LogFormat) => "log format (text or json)",
        _ when type == typeof(DiscoveryMethod) => "discovery method (kubernetes or config; empty for the seeds)",
        _ => type.Name,
    };

    private static IEnumerable<string> Leaves(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? [] : [section.Path];
        }

        // A section that is itself an option (a value set on an object) is judged by its own key.
        return Known.TryGetValue(section.Path, out var type) && type is not null ? [section.Path] : children.SelectMany(Leaves);
    }

    private static string Suggestion(string key)
    {
        var closest = Known.Where(known => known.Value is not null)
            .Select(known => known.Key)
            .MinBy(known => Distance(known.ToLowerInvariant(), key.ToLowerInvariant()));
        return closest is not null && Distance(closest.ToLowerInvariant(), key.ToLowerInvariant()) <= 3
            ? $" (did you mean {NodeCommandLine.Describe(closest)}?)"
            : "";
    }

    /// <summary>Every bindable key under <paramref name="prefix"/>: options map to their type, groups of options to null.</summary>
    private static Dictionary<string, Type?> Settable(Type type, string prefix)
    {
        var keys = new Dictionary<string, Type?>(StringComparer.OrdinalIgnoreCase) { [prefix] = null };
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
                keys[key] = property.PropertyType;
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
