using ActorDemo.Sensors;
using ActorDemo.Shared.Hosting;

return await NodeHost.RunAsync(
    args,
    "ActorDemo sensor node: a fleet of simulated temperature sensors publishing to the AMQP address 'temperature'.",
    _ => [new SensorRole()],
    // Sensor processes share a machine with the aggregator (which owns 4053) and with each other, so
    // here they take any free remoting port; pods set ActorDemo__Node__Port=4053.
    new Dictionary<string, string?> { ["ActorDemo:Node:Port"] = "0" });
