using ActorDemo.Sensors;
using ActorDemo.Shared.Hosting;

return await NodeHost.RunAsync(
    args,
    "ActorDemo sensor node: a fleet of simulated temperature sensors publishing to the AMQP address 'temperature'.",
    _ => [SensorHosting.Feature],
    [new SensorInspection()],
    // Sensor processes share a machine with the aggregator (which owns 4053, 9110 and 8558) and with
    // each other, so here they take free ports and log them; pods set the well-known ones.
    new Dictionary<string, string?>
    {
        ["ActorDemo:Node:Port"] = "0",
        ["ActorDemo:Inspection:Port"] = "0",
        ["ActorDemo:Management:Port"] = "0",
    });
