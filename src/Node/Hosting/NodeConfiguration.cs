using Microsoft.Extensions.Configuration;

namespace ActorDemo.Node.Hosting;

/// <summary>From configuration (appsettings.json, environment, flags) to checked <see cref="ActorDemoOptions"/>.</summary>
public static class NodeConfiguration
{
    /// <summary>Binds and checks the options of the executable of <paramref name="table"/>; problems name each invalid option and how it is set.</summary>
    /// <param name="defaults">The options before any configuration: the executable's own defaults.</param>
    public static (ActorDemoOptions Options, IReadOnlyList<OptionProblem> Problems) Bind(
        IConfiguration configuration,
        OptionTable table,
        ActorDemoOptions? defaults = null)
    {
        var options = defaults ?? new ActorDemoOptions();
        var unusable = UnusableSettings.In(configuration, table).ToList();
        if (unusable.Count > 0)
        {
            // Binding would take settings this executable does not, or throw on a value of the wrong
            // type; each problem already names its key.
            return (options, unusable);
        }

        return (options, table.Bind(Normalized(configuration, table), options));
    }

    /// <summary>The configuration with every option's value in the form the binder takes (<see cref="OptionDefinition.Normalize"/>).</summary>
    private static IConfiguration Normalized(IConfiguration configuration, OptionTable table)
    {
        var rewritten = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in table.All)
        {
            if (configuration[option.Key] is { } value && option.Normalize(value) is var normal && normal != value)
            {
                rewritten[option.Key] = normal;
            }
        }

        return rewritten.Count == 0
            ? configuration
            : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(rewritten).Build();
    }
}
