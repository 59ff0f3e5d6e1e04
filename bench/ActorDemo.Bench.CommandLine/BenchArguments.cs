using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ActorDemo.Bench;

/// <summary>
/// A benchmark program's command line: the flags it declares, each <c>--name VALUE</c> or a bare
/// switch. A benchmark runs for minutes, so an argument it would not use (a typo, a flag of another
/// benchmark) or a value it cannot read ends it before anything starts, the way the nodes treat
/// theirs: one line naming the argument and what it takes, the usage, exit status 2. <c>--help</c>
/// prints the usage and exits 0.
/// </summary>
public sealed class BenchArguments
{
    /// <summary>The exit status of a command line that cannot be used, as the nodes give it.</summary>
    public const int UsageError = 2;

    private readonly Dictionary<string, string?> _given;
    private readonly string _usage;

    private BenchArguments(Dictionary<string, string?> given, string usage)
    {
        _given = given;
        _usage = usage;
    }

    /// <summary>Reads <paramref name="args"/>; ends the program on <c>--help</c> or an argument it cannot use.</summary>
    /// <param name="valued">The flags that take a value.</param>
    /// <param name="switches">The flags that take none.</param>
    public static BenchArguments Read(string[] args, string usage, IReadOnlyCollection<string> valued, IReadOnlyCollection<string> switches)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(usage);
            Environment.Exit(0);
        }

        var (given, error) = Parse(args, valued, switches);
        var arguments = new BenchArguments(given, usage);
        if (error is not null)
        {
            arguments.Fail(error);
        }

        return arguments;
    }

    /// <summary>What <paramref name="args"/> give, or the first reason they cannot be used.</summary>
    public static (Dictionary<string, string?> Given, string? Error) Parse(string[] args, IReadOnlyCollection<string> valued, IReadOnlyCollection<string> switches)
    {
        var given = new Dictionary<string, string?>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!valued.Contains(name) && !switches.Contains(name))
            {
                var known = string.Join(", ", valued.Concat(switches).Order(StringComparer.Ordinal));
                return (given, $"'{name}' is not an argument of this benchmark; it takes {known} (--help says what each does).");
            }

            if (given.ContainsKey(name))
            {
                return (given, $"{name} is given twice; give it once.");
            }

            if (switches.Contains(name))
            {
                given[name] = null;
            }
            else if (i + 1 < args.Length && !(valued.Contains(args[i + 1]) || switches.Contains(args[i + 1])))
            {
                given[name] = args[++i];
            }
            else
            {
                return (given, $"{name} needs a value after it.");
            }
        }

        return (given, null);
    }

    /// <summary>Ends the program: <paramref name="problem"/> on one line, the usage, exit status 2.</summary>
    [DoesNotReturn]
    public void Fail(string problem)
    {
        Console.Error.WriteLine($"error: {problem}");
        Console.Error.WriteLine(_usage);
        Environment.Exit(UsageError);
    }

    /// <summary>Whether the switch or flag was given.</summary>
    public bool Has(string name) => _given.ContainsKey(name);

    /// <summary>The flag's value, or <paramref name="fallback"/> when it was not given.</summary>
    [return: NotNullIfNotNull(nameof(fallback))]
    public string? Text(string name, string? fallback = null) => _given.TryGetValue(name, out var value) ? value : fallback;

    /// <summary>The flag's value as a whole number of at least <paramref name="minimum"/>, or <paramref name="fallback"/> when it was not given.</summary>
    public int Number(string name, int fallback, int minimum = 1) =>
        Text(name) is { } text ? Whole(name, text, minimum) : fallback;

    /// <summary>The flag's value as a positive number that may have a fraction (minutes, say), or <paramref name="fallback"/> when it was not given.</summary>
    public double Decimal(string name, double fallback)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            Fail($"{name} takes a positive number such as 2.5, not '{text}'.");
        }

        return value;
    }

    /// <summary>The flag's value as comma-separated whole numbers of at least <paramref name="minimum"/>, or <paramref name="fallback"/> when it was not given.</summary>
    public IReadOnlyList<int> Numbers(string name, IReadOnlyList<int> fallback, int minimum = 1) =>
        Text(name) is { } text ? text.Split(',').Select(item => Whole(name, item.Trim(), minimum)).ToList() : fallback;

    /// <summary>The flag's value split into words on spaces (flags handed on to a process), none when it was not given.</summary>
    public IReadOnlyList<string> Words(string name) => (Text(name) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The flag's value, which must be one of <paramref name="choices"/>, or <paramref name="fallback"/> when it was not given.</summary>
    public string? Choice(string name, IReadOnlyCollection<string> choices, string? fallback = null)
    {
        var value = Text(name, fallback);
        if (value is not null && !choices.Contains(value))
        {
            Fail($"{name} takes {string.Join(", ", choices.SkipLast(1))} or {choices.Last()}, not '{value}'.");
        }

        return value;
    }

    private int Whole(string name, string text, int minimum)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            Fail($"{name} takes whole numbers of at least {minimum}, not '{text}'.");
        }

        return value;
    }
}
