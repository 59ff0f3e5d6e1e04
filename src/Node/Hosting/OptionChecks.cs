using System.Linq.Expressions;
using ActorDemo.Amqp;

namespace ActorDemo.Node.Hosting;

/// <summary>One invalid option: its configuration key, what is wrong with its value, and how it is set.</summary>
/// <param name="Setting">How the option is set (its flag, key and variable), from the executable's <see cref="OptionTable"/>.</param>
public sealed record OptionProblem(string Key, string Problem, string? Setting = null)
{
    public override string ToString() => $"Invalid option {Setting ?? Key}: {Problem}";
}

/// <summary>The checks of one <see cref="OptionSection{T}"/>: each problem is kept under the key of the option it names.</summary>
public sealed class OptionChecks<T>
    where T : class
{
    private readonly OptionSection<T> _section;
    private readonly List<OptionProblem> _problems = [];

    internal OptionChecks(OptionSection<T> section, ActorDemoOptions options, IReadOnlyList<OptionProblem> earlier)
    {
        _section = section;
        Options = options;
        Earlier = earlier;
    }

    /// <summary>All the node's options, for a check that depends on another section.</summary>
    public ActorDemoOptions Options { get; }

    /// <summary>The problems the sections before this one found (the node's own come first).</summary>
    public IReadOnlyList<OptionProblem> Earlier { get; }

    public IReadOnlyList<OptionProblem> Problems => _problems;

    public void Require<TValue>(bool valid, Expression<Func<T, TValue>> option, string problem)
    {
        if (!valid)
        {
            _problems.Add(new OptionProblem(_section.KeyOf(option), problem));
        }
    }

    public bool HasProblem<TValue>(Expression<Func<T, TValue>> option) => _problems.Any(problem => problem.Key == _section.KeyOf(option));

    /// <summary>
    /// Builds AMQP settings (the endpoint, the stages' settings, the router's) as the node will, so that
    /// nothing passes here that the node refuses at start (a credit of 1, say); what they refuse is a
    /// problem of the option they name, said once even when two settings refuse it (the address).
    /// </summary>
    /// <param name="keyOf">The configuration key of a setting the library names by its property; by default the AMQP section's.</param>
    /// <returns>Whether <paramref name="build"/> accepted the settings.</returns>
    public bool Amqp(Action build, Func<string, string>? keyOf = null)
    {
        try
        {
            build();
            return true;
        }
        catch (AmqpSettingsException e)
        {
            var key = (keyOf ?? AmqpOptions.EndpointSettingKey)(e.Setting);
            if (!_problems.Any(problem => problem.Key == key))
            {
                _problems.Add(new OptionProblem(key, e.Problem));
            }

            return false;
        }
    }
}
