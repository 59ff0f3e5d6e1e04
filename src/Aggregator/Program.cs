using ActorDemo.Aggregator;
using ActorDemo.Aggregator.Dashboard;
using ActorDemo.Sensors;
using ActorDemo.Node.Hosting;

return await NodeHost.RunAsync(args, new NodeExecutable(
    Executables.Aggregator,
    "ActorDemo aggregator node: reads 'temperature', reports the maximum of every window. "
        + "Without --amqp-url it starts the embedded router; --with-sensors also runs a sensor fleet.",
    options => options.Aggregator.WithSensors ? [AggregatorHosting.Feature, SensorHosting.Feature] : [AggregatorHosting.Feature],
    [new SensorInspection(), new WindowInspection(), new DashboardInspection()]));
