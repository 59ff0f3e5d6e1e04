using ActorDemo.Bench.Transport;

// Transport benchmark: N readings from a sender process through a router process to a receiver
// process, for every pair of clients (our stages at-least-once and at-most-once, plain AMQPNetLite,
// Proton C's example send/receive) and every router (the embedded one, Qpid Dispatch 1.19) or broker
// (a RabbitMQ queue, read as it fills, and drained after it filled with no receiver), one fresh
// router or broker per run. This program is also the router and the .NET clients of each run.
var options = Arguments.Parse(args);
return options.Role switch
{
    "router" => await EmbeddedRouterProcess.ServeAsync(options.Port),
    "send" => await DotnetClients.SendAsync(options.Client, options.Url, options.Address, options.Messages + options.Warmup),
    "receive" => await DotnetClients.ReceiveAsync(options.Client, options.Url, options.Address, options.Messages, options.Warmup),
    _ => await Runs.RunAllAsync(options.Messages, options.Warmup, options.Only, options.Router),
};
