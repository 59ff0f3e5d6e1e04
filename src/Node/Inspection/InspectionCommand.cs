namespace ActorDemo.Node.Inspection;

/// <summary>
/// One command of the <c>cmd</c> client: its words, its arguments, what it does, and how it runs,
/// through an <see cref="InspectionCall"/> to the node. The node has its own (the cluster, actors, AMQP
/// links); each role adds its own with its <see cref="IInspectionModule"/>, beside the route it calls.
/// </summary>
/// <param name="Run">Asks the node and prints its answer; the exit status (0, 1 when the node cannot, 2 for wrong arguments).</param>
public sealed record InspectionCommand(string Words, string Arguments, string Description, Func<InspectionCall, Task<int>> Run)
{
    public string Usage => $"cmd [HOST:PORT] {Words} {Arguments}".TrimEnd();
}
