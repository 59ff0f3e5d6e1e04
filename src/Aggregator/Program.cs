using ActorDemo.Aggregator;
using ActorDemo.Node.Hosting;

return await NodeHost.RunAsync(args, AggregatorExecutable.Definition);
