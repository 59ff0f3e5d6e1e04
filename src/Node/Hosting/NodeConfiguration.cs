using Microsoft.Extensions.Configuration;

namespace ActorDemo.Node.Hosting;

/// <summary>From configuration (appsettings.json, environment, flags) to checked <see cref="ActorDemoOptions"/>.</summary>
public static class NodeConfiguration
{
    /// <summary>Binds and checks the options of <paramref name="executable"/>; problems name each invalid option and how it is set.</summary>
    /// <param name="defaults">The options before any configuration: the executable's own defaults.</param>
    public static (ActorDemoOptions Options, IReadOnlyList<OptionProblem> Problems) Bind(
        IConfiguration configuration,
        Executables executable = Executables.Both,
        ActorDemoOptions? defaults = null)
    {
        var options = defaults ?? new ActorDemoOptions();
        var unusable = UnusableSettings.In(configuration, executable).ToList();
        if (unusable.Count > 0)
        {
            // Binding would take settings this executable does not, or throw on a value of the wrong
            // type; each problem already names its key.
            return (options, unusable);
        }

        Normalized(configuration).GetSection(ActorDemoOptions.Section).Bind(options);
        return (options, OptionsValidation.Validate(options));
    }

    /// <summary>The configuration with every option's value in the form the binder takes (<see cref="OptionDefinition.Normalize"/>).</summary>
    private static IConfiguration Normalized(IConfiguration configuration)
    {
        var rewritten = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in OptionTable.All)
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
