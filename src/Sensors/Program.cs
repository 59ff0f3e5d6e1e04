using ActorDemo.Node.Hosting;
using ActorDemo.Sensors;

return await NodeHost.RunAsync(args, SensorExecutable.Definition);
