using System.CommandLine;

namespace ActorDemo.Node.Hosting;

/// <summary>The command line of a node: the flags of the options its executable takes, from its <see cref="OptionTable"/>.</summary>
public static class NodeCommandLine
{
    /// <summary>The root command: the executable's flags, and <paramref name="run"/> with the configuration they set.</summary>
    /// <param name="defaults">The options before any flag, for the help text.</param>
    public static RootCommand Create(
        OptionTable table,
        string description,
        ActorDemoOptions defaults,
        Func<IReadOnlyDictionary<string, string?>, CancellationToken, Task<int>> run)
    {
        var flags = table.All.ToDictionary(
            option => option,
            option => option.IsSwitch
                ? (Option)new Option<bool>(option.Flag) { Description = Help(option, defaults) }
                : new Option<string>(option.Flag) { Description = Help(option, defaults), HelpName = "value" });

        var root = new RootCommand(description);
        foreach (var flag in flags.Values)
        {
            root.Add(flag);
        }

        root.SetAction((parse, cancellation) =>
        {
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (option, flag) in flags)
            {
                if (parse.GetResult(flag) is null or { Implicit: true })
                {
                    continue;
                }

                overrides[option.Key] = flag switch
                {
                    Option<bool> toggle => parse.GetValue(toggle) ? "true" : "false",
                    Option<string> text => parse.GetValue(text) ?? "",
                    _ => throw new InvalidOperationException($"Flag {option.Flag} has no reader."),
                };
            }

            return run(overrides, cancellation);
        });
        return root;
    }

    private static string Help(OptionDefinition option, ActorDemoOptions defaults) =>
        option.DefaultText(defaults) is { } value
            ? $"{option.Help} [default: {value}] [env: {option.EnvironmentVariable}]"
            : $"{option.Help} [env: {option.EnvironmentVariable}]";
}
