namespace ActorDemo.Sensors;

/// <summary>The protocol of <see cref="SensorFleetActor"/>; inspection sends it from other nodes.</summary>
public static class SensorFleetProtocol
{
    /// <summary>Run <paramref name="Count"/> sensors: new ones are added after the last, the last ones stop first.</summary>
    public sealed record Resize(int Count) : ISensorMessage;

    /// <param name="Count">Sensors running when the fleet answered.</param>
    /// <param name="Target">The size asked for: a fleet grows towards it in steps, and <see cref="GetFleet"/> tells how far it got.</param>
    public sealed record Resized(int Count, int Target) : ISensorMessage
    {
        public bool Done => Count == Target;
    }

    public sealed record GetFleet : ISensorMessage
    {
        public static readonly GetFleet Instance = new();
    }

    /// <summary>
    /// The fleet's size and its first and last device ids (none when empty); not every id, which
    /// for a large fleet would not fit a remote message (Akka.Remote's frame limit is 128 KB).
    /// </summary>
    /// <param name="Target">The size it was last asked for; above <paramref name="Count"/> while it grows.</param>
    public sealed record Fleet(int Count, string? FirstDeviceId, string? LastDeviceId, int Target) : ISensorMessage;
}
