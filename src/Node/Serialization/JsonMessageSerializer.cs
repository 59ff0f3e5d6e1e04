using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace ActorDemo.Node.Serialization;

/// <summary>
/// The serializer of ActorDemo's messages that cross nodes: JSON, with a short manifest per message
/// type named by the subclass, so that the wire form of every such message is ours, readable, and
/// held by a round-trip spec. Addresses travel as their text, actor references as their paths.
/// </summary>
public abstract class JsonMessageSerializer : SerializerWithStringManifest
{
    private readonly JsonSerializerOptions _options;
    private readonly IReadOnlyDictionary<string, Type> _types;
    private readonly IReadOnlyDictionary<Type, string> _manifests;

    /// <param name="manifests">Every message type this serializer writes, with its manifest.</param>
    protected JsonMessageSerializer(ExtendedActorSystem system, IReadOnlyDictionary<Type, string> manifests)
        : base(system)
    {
        _manifests = manifests;
        _types = manifests.ToDictionary(pair => pair.Value, pair => pair.Key);
        _options = new JsonSerializerOptions { Converters = { new AddressConverter(), new ActorRefConverter(system) } };
    }

    public override string Manifest(object o) =>
        _manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{GetType().Name} has no manifest for {o.GetType()}; add the type to its table.", nameof(o));

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);

    public override object FromBinary(byte[] bytes, string manifest) =>
        _types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, _options) ?? throw new SerializationException($"A '{manifest}' message was empty.")
            : throw new SerializationException($"{GetType().Name} knows no message '{manifest}'; is the other node a different version?");

    /// <summary>An Akka address as its string form; also what files that name nodes use.</summary>
    public sealed class AddressConverter : JsonConverter<Address>
    {
        public override Address Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Address.Parse(reader.GetString() ?? throw new JsonException("An address is missing."));

        public override void Write(Utf8JsonWriter writer, Address value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            system.Provider.ResolveActorRef(reader.GetString() ?? throw new JsonException("An actor path is missing."));

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Akka.Serialization.Serialization.SerializedActorPath(value));
    }
}
