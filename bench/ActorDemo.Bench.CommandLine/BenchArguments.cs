using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ActorDemo.Bench;

/// <summary>One flag a benchmark takes, with what it means and, where it has one, its default.</summary>
/// <param name="Value">What its value is, as the usage shows it (<c>N</c>, <c>DIR</c>); null for a switch, which takes none.</param>
/// <param name="Default">The value it has when not given, as it would be written; null when it has none.</param>
public sealed record BenchFlag(string Name, string? Value, string Help, string? Default = null)
{
    public static BenchFlag Switch(string name, string help) => new(name, null, help);

    public string Usage => $"  {$"{Name} {Value}".TrimEnd(),-28} {Help}{(string.IsNullOrEmpty(Default) ? "" : $" (default {Default})")}";
}

/// <summary>
/// A benchmark program's command line: the flags it declares, each <c>--name VALUE</c> or a bare
/// switch, each default in its declaration and the usage made from them. A benchmark runs for
/// minutes, so an argument it would not use (a typo, a flag of another benchmark) or a value it
/// cannot read ends it before anything starts, the way the nodes treat theirs: one line naming the
/// argument and what it takes, the usage, exit status 2. <c>--help</c> prints the usage and exits 0.
/// </summary>
public sealed class BenchArguments
{
    /// <summary>The exit status of a command line that cannot be used, as the nodes give it.</summary>
    public const int UsageError = 2;

    private readonly Dictionary<string, string?> _given;
    private readonly Dictionary<string, BenchFlag> _flags;
    private readonly string _usage;

    private BenchArguments(Dictionary<string, string?> given, IReadOnlyList<BenchFlag> flags, string usage)
    {
        _given = given;
        _flags = flags.ToDictionary(flag => flag.Name);
        _usage = usage;
    }

    /// <summary>The usage a program with <paramref name="flags"/> prints: what it does, then a line a flag.</summary>
    public static string Usage(string what, IReadOnlyList<BenchFlag> flags) =>
        string.Join('\n', flags.Select(flag => flag.Usage).Prepend(what));

    /// <summary>Reads <paramref name="args"/>; ends the program on <c>--help</c> or an argument it cannot use.</summary>
    /// <param name="what">What the program does, the usage's first line.</param>
    public static BenchArguments Read(string[] args, string what, IReadOnlyList<BenchFlag> flags)
    {
        var usage = Usage(what, flags);
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(usage);
            Environment.Exit(0);
        }

        var (given, error) = Parse(args, flags);
        var arguments = new BenchArguments(given, flags, usage);
        if (error is not null)
        {
            arguments.Fail(error);
        }

        return arguments;
    }

    /// <summary>What <paramref name="args"/> give, or the first reason they cannot be used.</summary>
    public static (Dictionary<string, string?> Given, string? Error) Parse(string[] args, IReadOnlyList<BenchFlag> flags)
    {
        var declared = flags.ToDictionary(flag => flag.Name);
        var given = new Dictionary<string, string?>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!declared.TryGetValue(name, out var flag))
            {
                var known = string.Join(", ", declared.Keys.Order(StringComparer.Ordinal));
                return (given, $"'{name}' is not an argument of this benchmark; it takes {known} (--help says what each does).");
            }

            if (given.ContainsKey(name))
            {
                return (given, $"{name} is given twice; give it once.");
            }

            if (flag.Value is null)
            {
                given[name] = null;
            }
            else if (i + 1 < args.Length && !declared.ContainsKey(args[i + 1]))
            {
                given[name] = args[++i];
            }
            else
            {
                return (given, $"{name} needs a value after it ({flag.Value}).");
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
    public bool Has(string name) => _given.ContainsKey(Declared(name).Name);

    /// <summary>The flag's value, or its default when it was not given; null when it has none.</summary>
    public string? Text(string name) => _given.TryGetValue(name, out var value) ? value : Declared(name).Default;

    /// <summary>The flag's value (or default) as a whole number of at least <paramref name="minimum"/>; a flag without a default must be given.</summary>
    public int Number(string name, int minimum = 1) => Whole(name, Required(name), minimum);

    /// <summary>The flag's value (or default) as a positive number that may have a fraction (minutes, say).</summary>
    public double Decimal(string name)
    {
        var text = Required(name);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            Fail($"{name} takes a positive number such as 2.5, not '{text}'.");
        }

        return value;
    }

    /// <summary>The flag's value (or default) as comma-separated whole numbers of at least <paramref name="minimum"/>; none when it has none.</summary>
    public IReadOnlyList<int> Numbers(string name, int minimum = 1) =>
        Text(name) is { } text ? text.Split(',').Select(item => Whole(name, item.Trim(), minimum)).ToList() : [];

    /// <summary>The flag's value split into words on spaces (flags handed on to a process); none when it has none.</summary>
    public IReadOnlyList<string> Words(string name) => (Text(name) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The flag's value (or default), which must be one of <paramref name="choices"/>; null when it has none.</summary>
    public string? Choice(string name, IReadOnlyList<string> choices)
    {
        var value = Text(name);
        if (value is not null && !choices.Contains(value))
        {
            Fail($"{name} takes {string.Join(", ", choices.SkipLast(1))} or {choices[^1]}, not '{value}'.");
        }

        return value;
    }

    /// <summary>The value of a flag this run needs, which has no default.</summary>
    private string Required(string name)
    {
        var value = Text(name);
        if (value is null)
        {
            Fail($"{name} is needed here; give it ({Declared(name).Value}).");
        }

        return value;
    }

    /// <summary>A flag the program reads but did not declare is the program's mistake, not the user's.</summary>
    private BenchFlag Declared(string name) =>
        _flags.TryGetValue(name, out var flag) ? flag : throw new InvalidOperationException($"{name} is read but was not declared.");

    private int Whole(string name, string text, int minimum)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            Fail($"{name} takes whole numbers of at least {minimum}, not '{text}'.");
        }

        return value;
    }
}
