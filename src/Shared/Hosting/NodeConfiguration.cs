using Microsoft.Extensions.Configuration;

namespace ActorDemo.Shared.Hosting;

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
        var unusable = UnknownSettings.In(configuration, executable).ToList();
        if (unusable.Any(problem => problem.Unconvertible))
        {
            // Binding would throw on them; each one already names its option.
            return (options, unusable);
        }

        configuration.GetSection(ActorDemoOptions.Section).Bind(options);
        return (options, [.. unusable, .. OptionsValidation.Validate(options)]);
    }
}
