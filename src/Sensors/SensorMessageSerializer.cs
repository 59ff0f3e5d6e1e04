using ActorDemo.Node.Serialization;
using Akka.Actor;

namespace ActorDemo.Sensors;

/// <summary>A message of the sensor role that crosses nodes: <see cref="SensorMessageSerializer"/> writes it.</summary>
public interface ISensorMessage;

/// <summary>Writes every <see cref="ISensorMessage"/>: what inspection asks a sensor node's fleet and publisher from another node.</summary>
public sealed class SensorMessageSerializer(ExtendedActorSystem system) : JsonMessageSerializer(system, Manifests)
{
    public const string Name = "actordemo-sensors";

    public static readonly IReadOnlyDictionary<Type, string> Manifests = new Dictionary<Type, string>
    {
        [typeof(SensorFleetProtocol.Resize)] = "resize",
        [typeof(SensorFleetProtocol.Resized)] = "resized",
        [typeof(SensorFleetProtocol.GetFleet)] = "get-fleet",
        [typeof(SensorFleetProtocol.Fleet)] = "fleet",
        [typeof(ReadingPublisherProtocol.GetCounts)] = "get-counts",
        [typeof(ReadingPublisherProtocol.Counts)] = "counts",
    };

    public override int Identifier => 40532;
}
