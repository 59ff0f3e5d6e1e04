using ActorDemo.Aggregator.Dashboard;
using ActorDemo.Node.Hosting;
using ActorDemo.Sensors;

namespace ActorDemo.Aggregator;

/// <summary>The aggregator executable: a node of the aggregator role, with a sensor fleet beside it on <c>--with-sensors</c>.</summary>
public static class AggregatorExecutable
{
    public static OptionTable Options { get; } = new(NodeOptionTable.Section, AggregatorOptionTable.Amqp, AggregatorOptionTable.Section, SensorOptionTable.Fleet)
    {
        Elsewhere = [("sensors", SensorOptionTable.Section)],
    };

    public static NodeExecutable Definition { get; } = new(
        Options,
        "ActorDemo aggregator node: reads 'temperature', reports the maximum of every window. "
            + "Without --amqp-url it starts the embedded router; --with-sensors also runs a sensor fleet.",
        options => options.Aggregator.WithSensors ? [AggregatorHosting.Feature, SensorHosting.Feature] : [AggregatorHosting.Feature],
        [new SensorInspection(), new WindowInspection(), new DashboardInspection()]);
}
