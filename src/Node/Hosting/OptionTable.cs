using System.Globalization;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace ActorDemo.Node.Hosting;

/// <summary>
/// One option of a node: its configuration key (from the property it binds), its flag and its help.
/// Its default is the property's initial value in the options class that owns it.
/// </summary>
/// <param name="Unset">What help says of the default when the property starts empty (the behaviour an empty value has).</param>
public sealed partial record OptionDefinition(
    string Flag,
    string Key,
    Type Type,
    string Help,
    Func<ActorDemoOptions, object?> Value,
    string? Unset)
{
    public string EnvironmentVariable => Key.Replace(":", "__", StringComparison.Ordinal);

    public bool IsSwitch => Type == typeof(bool);

    /// <summary>The default as help shows it; none for a secret or an option without one.</summary>
    public string? DefaultText(ActorDemoOptions defaults) => Value(defaults) switch
    {
        null => Unset,
        Enum value => value.Kebab(),
        TimeSpan span => Duration(span),
        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
        var value => value.ToString(),
    };

    /// <summary>
    /// A value as the configuration binder takes it, so that flags, environment and appsettings.json
    /// all take the same forms: 250ms, 5s or 2m as a TimeSpan, at-least-once as the enum's name;
    /// anything else as given (the checks then name the option).
    /// </summary>
    public string Normalize(string text)
    {
        var type = Nullable.GetUnderlyingType(Type) ?? Type;
        if (type.IsEnum)
        {
            return text.Replace("-", "", StringComparison.Ordinal);
        }

        var match = type == typeof(TimeSpan) ? DurationPattern().Match(text.Trim()) : Match.Empty;
        if (!match.Success)
        {
            return text;
        }

        var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        var span = match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            _ => TimeSpan.FromMinutes(amount),
        };
        return span.ToString("c", CultureInfo.InvariantCulture);
    }

    /// <summary>How the option is set, for error messages: its flag, its key and its environment variable.</summary>
    public override string ToString() => $"{Flag} ({Key}, environment {EnvironmentVariable})";

    private static string Duration(TimeSpan span) => span switch
    {
        { TotalMilliseconds: < 1000 } => $"{span.TotalMilliseconds:0}ms",
        { TotalSeconds: < 60 } => $"{span.TotalSeconds:0.###}s",
        _ => $"{span.TotalMinutes:0.###}m",
    };

    [GeneratedRegex("^(?<amount>[0-9]+(\\.[0-9]+)?)(?<unit>ms|s|m)$")]
    private static partial Regex DurationPattern();
}

/// <summary>
/// The options one part of a node owns (the node itself, a role): its rows of the option table,
/// the configuration they bind, and their checks.
/// </summary>
public interface IOptionSection
{
    IReadOnlyList<OptionDefinition> Options { get; }

    /// <summary>Binds this section's part of <paramref name="configuration"/> into <paramref name="options"/>.</summary>
    void Bind(IConfiguration configuration, ActorDemoOptions options);

    /// <summary>What is wrong with the values bound, each problem under its option's key.</summary>
    /// <param name="earlier">What the sections before this one found.</param>
    IEnumerable<OptionProblem> Check(ActorDemoOptions options, IReadOnlyList<OptionProblem> earlier);
}

/// <summary>
/// The options of <typeparamref name="T"/>, bound from <c>ActorDemo:PATH</c> (<c>ActorDemo</c> itself
/// for the node's own). Each row names a property of <typeparamref name="T"/>; its key follows the
/// property (<c>s =&gt; s.Count</c> under <c>Sensors</c> is <c>ActorDemo:Sensors:Count</c>).
/// </summary>
public sealed class OptionSection<T> : IOptionSection
    where T : class
{
    private readonly string _name;
    private readonly string _path;
    private readonly Func<ActorDemoOptions, T> _of;
    private readonly List<OptionDefinition> _options = [];
    private readonly List<Action<T, OptionChecks<T>>> _checks = [];

    /// <param name="path">Where the section is bound, below <c>ActorDemo</c>; empty for <see cref="ActorDemoOptions"/> itself.</param>
    /// <param name="of">The instance of <typeparamref name="T"/> the options hold.</param>
    public OptionSection(string path, Func<ActorDemoOptions, T> of)
    {
        _name = path;
        _path = path.Length == 0 ? ActorDemoOptions.Section : $"{ActorDemoOptions.Section}:{path}";
        _of = of;
    }

    public IReadOnlyList<OptionDefinition> Options => _options;

    /// <summary>Adds the option that binds <paramref name="property"/>, in the order help lists them.</summary>
    public OptionSection<T> Option<TValue>(string flag, Expression<Func<T, TValue>> property, string help, string? unset = null)
    {
        var read = property.Compile();
        _options.Add(new OptionDefinition(flag, KeyOf(property), typeof(TValue), help, options => read(_of(options)), unset));
        return this;
    }

    /// <summary>Adds checks of the section's values, run before anything starts.</summary>
    public OptionSection<T> Checks(Action<T, OptionChecks<T>> check)
    {
        _checks.Add(check);
        return this;
    }

    /// <summary>The same section without the options of <paramref name="flags"/>, for an executable that does not take them.</summary>
    public OptionSection<T> Without(params string[] flags)
    {
        var section = new OptionSection<T>(_name, _of);
        section._options.AddRange(_options.Where(option => !flags.Contains(option.Flag)));
        section._checks.AddRange(_checks);
        return section;
    }

    /// <summary>The configuration key of a property of <typeparamref name="T"/>.</summary>
    public string KeyOf<TValue>(Expression<Func<T, TValue>> property)
    {
        var names = new Stack<string>();
        var body = property.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : property.Body;
        while (body is MemberExpression member)
        {
            names.Push(member.Member.Name);
            body = member.Expression;
        }

        if (body is not ParameterExpression)
        {
            throw new ArgumentException($"'{property}' is not a chain of option properties.", nameof(property));
        }

        return string.Join(':', [_path, .. names]);
    }

    /// <summary>The option that binds <paramref name="property"/>.</summary>
    public OptionDefinition For<TValue>(Expression<Func<T, TValue>> property)
    {
        var key = KeyOf(property);
        return _options.Single(option => option.Key == key);
    }

    public void Bind(IConfiguration configuration, ActorDemoOptions options) => configuration.GetSection(_path).Bind(_of(options));

    public IEnumerable<OptionProblem> Check(ActorDemoOptions options, IReadOnlyList<OptionProblem> earlier)
    {
        var checks = new OptionChecks<T>(this, options, earlier);
        foreach (var check in _checks)
        {
            check(_of(options), checks);
        }

        return checks.Problems;
    }
}

/// <summary>
/// The options an executable takes, in the order its help lists them: the one table that its command
/// line, its configuration checks, its error messages and its <c>--help</c> read. Flags only override:
/// one that is not given leaves the value of appsettings.json or the environment.
/// </summary>
public sealed class OptionTable(params IReadOnlyList<IOptionSection> sections)
{
    private readonly Dictionary<string, OptionDefinition> _byKey =
        sections.SelectMany(section => section.Options).ToDictionary(option => option.Key, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<OptionDefinition> All { get; } = sections.SelectMany(section => section.Options).ToList();

    /// <summary>
    /// Options that another executable of ActorDemo takes and this one does not, by that executable's
    /// name: refused here with a pointer to it, rather than as unknown.
    /// </summary>
    public IReadOnlyList<(string Executable, IOptionSection Section)> Elsewhere { get; init; } = [];

    public OptionDefinition? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>The executable that takes <paramref name="key"/> when this one does not, as far as this one knows.</summary>
    public (string Executable, OptionDefinition Option)? FindElsewhere(string key)
    {
        if (Find(key) is not null)
        {
            return null;
        }

        foreach (var (executable, section) in Elsewhere)
        {
            if (section.Options.FirstOrDefault(option => string.Equals(option.Key, key, StringComparison.OrdinalIgnoreCase)) is { } option)
            {
                return (executable, option);
            }
        }

        return null;
    }

    /// <summary>Binds every section of <paramref name="configuration"/> into <paramref name="options"/> and checks them; problems say how each option is set.</summary>
    public IReadOnlyList<OptionProblem> Bind(IConfiguration configuration, ActorDemoOptions options)
    {
        var problems = new List<OptionProblem>();
        foreach (var section in sections)
        {
            section.Bind(configuration, options);
        }

        foreach (var section in sections)
        {
            // Two sections that build the same AMQP settings (the address) say its problem once.
            problems.AddRange(section.Check(options, problems).Where(problem => problems.All(earlier => earlier.Key != problem.Key)).ToList());
        }

        return problems.Select(problem => problem with { Setting = Describe(problem.Key) }).ToList();
    }

    /// <summary>How a configuration key is set, for error messages: its flag and its environment variable.</summary>
    public string Describe(string key) =>
        (Find(key) ?? FindElsewhere(key)?.Option)?.ToString() ?? $"{key} (environment {key.Replace(":", "__", StringComparison.Ordinal)})";
}
