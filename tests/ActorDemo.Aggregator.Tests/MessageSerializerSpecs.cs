using ActorDemo.Sensors;
using ActorDemo.Readings;
using Akka.Configuration;
using Akka.Serialization;
using Xunit;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator.Tests;

/// <summary>Every message that crosses nodes goes through a serializer of ours and comes back equal.</summary>
public sealed class MessageSerializerSpecs() : Akka.TestKit.Xunit2.TestKit(Config)
{
    private static readonly Config Config = ConfigurationFactory.ParseString($$"""
        akka.actor {
          provider = cluster
          serializers {
            {{AggregatorMessageSerializer.Name}} = "{{typeof(AggregatorMessageSerializer).AssemblyQualifiedName}}"
            {{SensorMessageSerializer.Name}} = "{{typeof(SensorMessageSerializer).AssemblyQualifiedName}}"
          }
          serialization-bindings {
            "{{typeof(IAggregatorMessage).AssemblyQualifiedName}}" = {{AggregatorMessageSerializer.Name}}
            "{{typeof(ISensorMessage).AssemblyQualifiedName}}" = {{SensorMessageSerializer.Name}}
          }
        }
        akka.remote.dot-netty.tcp.port = 0
        """);

    private static readonly Address Node = new("akka.tcp", "actordemo", "10.0.0.7", 4053);
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 7, 40, 5, TimeSpan.Zero);
    private static readonly PartialWindow Partial = new(Node, 354_071_401, Start, Start.AddSeconds(5), 24.9, "sensor-a-0003", 1000, 3, Start.AddSeconds(5.02), 17, Closed: true);
    private static readonly RecordedWindow Recorded = new(new WindowMaximum(Start, Start.AddSeconds(5), 24.9, "sensor-a-0003", 1700, 2, 1_764_056_405_123), [Partial, Partial with { Max = null, DeviceId = null, Count = 0 }], 1);

    public static TheoryData<object> Messages => new()
    {
        Partial,
        new PartialAcknowledged(Node, 354_071_401, 17, 1_764_056_405_123, Emitted: false),
        new ConfirmIncarnation(1_764_056_405_123, 9, new DateTimeOffset(2026, 12, 3, 7, 0, 0, 125, TimeSpan.Zero)),
        new IncarnationConfirmed(1_764_056_405_123, 9, 354_071_400),
        new IncarnationSuperseded(1_764_056_405_124),
        new WitnessPartial(Partial with { Closed = false }, 1_764_056_405_123),
        new PartialWitnessed(Node, 354_071_401, 17, 1_764_056_405_123),
        new WindowEmitted(354_071_401, 1_764_056_405_123),
        GetSummary.Instance,
        new Summary(Recorded, 42, 1, 1_764_056_405_123, [new ClockLag("akka.tcp://actordemo@10.0.0.2:4053", 3.02)]),
        new Summary(null, 0, 0, 0, []),
        new GetHistory(10),
        new History([Recorded]),
        new WindowRecorded(Recorded),
        new SensorFleetProtocol.Resize(8),
        new SensorFleetProtocol.Resized(8, 20),
        SensorFleetProtocol.GetFleet.Instance,
        new SensorFleetProtocol.Fleet(2, "sensor-a-0000", "sensor-a-0001", 5),
        new SensorFleetProtocol.Fleet(0, null, null, 0),
        ReadingPublisherProtocol.GetCounts.Instance,
        new ReadingPublisherProtocol.Counts(100, 2, 3, 98, 95, 1, 1, 3, "Attached", "no-receiver", "'temperature' is anycast, so no reading can leave while no receiver is attached; start an aggregator."),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_message_that_crosses_nodes_makes_the_round_trip_through_our_serializer(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsAssignableFrom<Node.Serialization.JsonMessageSerializer>(serializer);

        var bytes = serializer.ToBinary(message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, Serialization.ManifestFor(serializer, message));

        Assert.Equivalent(message, back, strict: true);
    }

    [Fact]
    public void An_actor_reference_makes_the_round_trip_as_its_path()
    {
        var subscriber = CreateTestProbe().Ref;
        var message = new SubscribeWindows(subscriber);
        var serializer = Sys.Serialization.FindSerializerFor(message);

        var back = (SubscribeWindows)Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, Serialization.ManifestFor(serializer, message));

        Assert.Equal(subscriber, back.Subscriber);
    }

    [Fact]
    public void Every_message_type_of_both_protocols_has_a_manifest()
    {
        var crossing = typeof(AggregatorMessageSerializer).Assembly.GetTypes().Where(t => typeof(IAggregatorMessage).IsAssignableFrom(t) && !t.IsInterface)
            .Concat(typeof(SensorMessageSerializer).Assembly.GetTypes().Where(t => typeof(ISensorMessage).IsAssignableFrom(t) && !t.IsInterface));

        Assert.All(crossing, type => Assert.True(
            AggregatorMessageSerializer.Manifests.ContainsKey(type) || SensorMessageSerializer.Manifests.ContainsKey(type),
            $"{type} crosses nodes but no serializer has a manifest for it"));
    }
}
