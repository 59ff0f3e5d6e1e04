namespace ActorDemo.Sensors;

/// <summary>The protocol of <see cref="SensorFleetActor"/>; inspection sends it from other nodes.</summary>
public static class SensorFleetProtocol
{
    /// <summary>Run <paramref name="Count"/> sensors: new ones are added after the last, the last ones stop first.</summary>
    public sealed record Resize(int Count) : ISensorMessage;

    public sealed record Resized(int Count) : ISensorMessage;

    public sealed record GetFleet : ISensorMessage
    {
        public static readonly GetFleet Instance = new();
    }

    public sealed record Fleet(IReadOnlyList<string> DeviceIds) : ISensorMessage;
}
