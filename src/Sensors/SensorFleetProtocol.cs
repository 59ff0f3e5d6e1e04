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

    /// <summary>
    /// The fleet's size and its first and last device ids (none when empty); not every id, which
    /// for a large fleet would not fit a remote message (Akka.Remote's frame limit is 128 KB).
    /// </summary>
    public sealed record Fleet(int Count, string? FirstDeviceId, string? LastDeviceId) : ISensorMessage;
}
