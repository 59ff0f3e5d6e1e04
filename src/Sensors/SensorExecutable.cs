using ActorDemo.Node.Hosting;

namespace ActorDemo.Sensors;

/// <summary>The sensor executable: a node of the sensor role alone.</summary>
public static class SensorExecutable
{
    public static OptionTable Options { get; } = new(NodeOptionTable.Section, SensorOptionTable.Section);

    public static NodeExecutable Definition { get; } = new(
        Options,
        "ActorDemo sensor node: a fleet of simulated temperature sensors publishing to the AMQP address 'temperature'.",
        _ => [SensorHosting.Feature],
        [new SensorInspection()])
    {
        // Sensor processes share a machine with the aggregator (which owns 4053, 9110 and 8558) and with
        // each other, so here they take free ports and log them; pods set the well-known ones.
        Defaults = options =>
        {
            options.Node.Port = 0;
            options.Inspection.Port = 0;
            options.Management.Port = 0;
        },
    };
}
