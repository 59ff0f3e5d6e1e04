using System.ComponentModel;
using ActorDemo.Amqp;
using Microsoft.Extensions.Configuration;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// What the configuration under <c>ActorDemo</c> holds that this executable cannot take: keys no
/// option reads, such as <c>ActorDemo__Sensors__Cuont</c> or a typo in appsettings.json, options of
/// the other executable, and options set as a list (the binder would ignore all of them, so a setting
/// the operator believes made would silently keep its default); and values that do not convert to
/// their option's type (found here, before binding, so that the problem names the option rather than
/// hiding in the binder's exception).
/// </summary>
public static partial class UnusableSettings
{
    /// <summary>The problems of the configuration for the executable of <paramref name="table"/>, which takes only its own options.</summary>
    public static IEnumerable<OptionProblem> In(IConfiguration configuration, OptionTable table) =>
        Leaves(configuration.GetSection(ActorDemoOptions.Section), table)
            .Select(key => (table.Find(key), table.FindElsewhere(key)) switch
            {
                (null, var (executable, _)) =>
                    new OptionProblem(key, $"only the {executable} executable takes this option; remove it from this one's configuration"),
                ({ }, _) when configuration.GetSection(key).GetChildren().Any() =>
                    new OptionProblem(key, "it takes one value, and is set here as a list or an object"),
                ({ } option, _) => Unconvertible(option, configuration[key]),
                (null, null) => new OptionProblem(key, $"this executable takes no option of this name{Suggestion(key, table)}; it would be ignored (an option of the other ActorDemo executable belongs in that one's configuration)"),
            })
            .OfType<OptionProblem>()
            .Select(problem => problem with { Setting = table.Describe(problem.Key) });

    /// <summary>A value the binder could not convert to its option's type, checked in the form it binds (<see cref="OptionDefinition.Normalize"/>).</summary>
    private static OptionProblem? Unconvertible(OptionDefinition option, string? value)
    {
        var target = Nullable.GetUnderlyingType(option.Type) ?? option.Type;
        if (value is null || target == typeof(string) || (value.Length == 0 && target != option.Type))
        {
            return null;
        }

        try
        {
            TypeDescriptor.GetConverter(target).ConvertFromInvariantString(option.Normalize(value));
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return new OptionProblem(option.Key, $"'{value}' is not a valid {Friendly(target)}");
        }
    }

    private static string Friendly(Type type) => type switch
    {
        _ when type == typeof(int) => "whole number",
        _ when type == typeof(double) => "number",
        _ when type == typeof(TimeSpan) => "time (such as 5s, 500ms or 00:00:05)",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(DeliveryMode) => "delivery (at-least-once or at-most-once)",
        _ when type == typeof(DiscoveryMethod) => "discovery method (kubernetes or config; empty for the seeds)",
        // The option's words, then its values as flags take them: "window time (arrival or event)".
        { IsEnum: true } => $"{Words().Replace(type.Name, "$1 $2").ToLowerInvariant()} ({string.Join(" or ", Enum.GetValues(type).Cast<Enum>().Select(value => value.Kebab()))})",
        _ => type.Name,
    };

    [System.Text.RegularExpressions.GeneratedRegex("([a-z])([A-Z])")]
    private static partial System.Text.RegularExpressions.Regex Words();

    private static IEnumerable<string> Leaves(IConfigurationSection section, OptionTable table)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? [] : [section.Path];
        }

        // A section that is itself an option (a value set on an object) is judged by its own key.
        return table.Find(section.Path) is not null ? [section.Path] : children.SelectMany(child => Leaves(child, table));
    }

    private static string Suggestion(string key, OptionTable table)
    {
        var closest = table.All.MinBy(option => Distance(option.Key.ToLowerInvariant(), key.ToLowerInvariant()));
        return closest is not null && Distance(closest.Key.ToLowerInvariant(), key.ToLowerInvariant()) <= 3
            ? $" (did you mean {closest}?)"
            : "";
    }

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
