namespace ActorDemo.Node;

/// <summary>Where an HTTP endpoint of the node listens: inspection (9110) or Akka.Management health (8558).</summary>
public class EndpointOptions
{
    /// <summary>The interface to bind: loopback locally, 0.0.0.0 in a pod.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port (and logs it).</summary>
    public int Port { get; set; }
}
