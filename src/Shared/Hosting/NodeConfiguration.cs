using Microsoft.Extensions.Configuration;

namespace ActorDemo.Shared.Hosting;

/// <summary>From configuration (appsettings.json, environment, flags) to checked <see cref="ActorDemoOptions"/>.</summary>
public static class NodeConfiguration
{
    /// <summary>Binds and checks the options; problems name each invalid option and how it is set.</summary>
    public static (ActorDemoOptions Options, IReadOnlyList<OptionProblem> Problems) Bind(IConfiguration configuration)
    {
        var options = new ActorDemoOptions();
        var unusable = UnknownSettings.In(configuration).ToList();
        if (unusable.Any(problem => problem.Unconvertible))
        {
            // Binding would throw on them; each one already names its option.
            return (options, unusable);
        }

        configuration.GetSection(ActorDemoOptions.Section).Bind(options);
        return (options, [.. unusable, .. OptionsValidation.Validate(options)]);
    }
}
