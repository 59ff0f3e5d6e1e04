using ActorDemo.Bench;
using ActorDemo.Bench.Fleet;

// Fleet benchmark: a sensor fleet and the aggregators as the Release executables, each a process of
// its own, through the embedded router or Qpid Dispatch, on default flags unless given others. Each
// row counts, over the measured seconds, what the sensors offered, what the aggregators accepted and
// what was dropped, read with `cmd sensors show` as an operator would; then the transport benchmark
// runs for reference in the same run, since this machine's speed varies from day to day.
var options = FleetOptions.From(BenchArguments.Read(args, FleetOptions.What, FleetOptions.CommandLine));
Console.WriteLine($"# {Environment.ProcessorCount} cores, .NET {Environment.Version}; {options.Describe()}");
if (options.Outage is { } outage)
{
    Console.WriteLine(OutageDrain.Header);
    foreach (var sensors in options.Sensors)
    {
        Console.WriteLine(await OutageDrain.MeasureAsync(options, sensors, outage));
    }
}
else
{
    Console.WriteLine("| sensors | interval | router | aggregators | flags | offered/s | accepted/s | dropped | dropped % | sensor RSS MiB (max) | aggregator RSS MiB (max) | drop cause |");
    Console.WriteLine("|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---|");
    foreach (var sensors in options.Sensors)
    {
        Console.WriteLine(await FleetRun.MeasureAsync(options, sensors));
    }
}

if (options.Reference)
{
    Console.WriteLine();
    await Reference.RunTransportAsync(options.Router, options.ReferenceMessages, options.NodeEnvironment);
}

return 0;
