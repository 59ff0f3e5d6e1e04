namespace ActorDemo.Node.Inspection;

/// <summary>The inspection endpoint, whose routes that change the cluster need a token off loopback.</summary>
public sealed class InspectionOptions : EndpointOptions
{
    /// <summary>
    /// The bearer token that leave, down, join and scale need. Without one they answer only when
    /// the endpoint is bound to loopback, so that a pod never serves them open to its network.
    /// </summary>
    public string? Token { get; set; }
}
