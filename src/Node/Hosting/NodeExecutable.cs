using ActorDemo.Node.Inspection;

namespace ActorDemo.Node.Hosting;

/// <summary>What one executable of ActorDemo is: the options it takes, its features and its inspection commands.</summary>
/// <param name="Options">The node's own options and those of the roles it can run.</param>
/// <param name="Features">The features a node runs, chosen from its options (the aggregator's <c>--with-sensors</c>).</param>
public sealed record NodeExecutable(
    OptionTable Options,
    string Description,
    Func<ActorDemoOptions, IReadOnlyList<NodeFeature>> Features,
    IReadOnlyList<IInspectionModule> Inspection)
{
    /// <summary>Where this executable's defaults differ from <see cref="ActorDemoOptions"/>'s.</summary>
    public Action<ActorDemoOptions> Defaults { get; init; } = _ => { };

    /// <summary>The <c>cmd</c> commands of its roles, beside the node's own.</summary>
    public IReadOnlyList<InspectionCommand> Commands => Inspection.SelectMany(module => module.Commands).ToList();

    /// <summary>The options before any configuration.</summary>
    public ActorDemoOptions DefaultOptions()
    {
        var options = new ActorDemoOptions();
        Defaults(options);
        return options;
    }
}
