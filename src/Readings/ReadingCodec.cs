using ActorDemo.Amqp;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amqp;
using Amqp.Framing;

namespace ActorDemo.Readings;

/// <summary>Why a message is no reading, in few enough kinds to tag a metric with.</summary>
public enum RejectReason
{
    /// <summary>The transfer's payload is not an AMQP message at all.</summary>
    NotAmqp,

    /// <summary>No body, an empty one, or a body section of a kind that holds no reading.</summary>
    Body,

    /// <summary>Over <see cref="ReadingCodec.MaxBodyBytes"/>.</summary>
    TooLarge,

    /// <summary>Neither JSON with a temperature nor a number.</summary>
    Format,

    /// <summary>A temperature that is not finite or not physical.</summary>
    Temperature,

    /// <summary>A device id that is too long or not printable.</summary>
    DeviceId,

    /// <summary>With windows by event time: a timestamp further ahead of the cluster's clock than the bound.</summary>
    Future,
}

/// <summary>What decoding a message gave: a reading, or why the message is not one.</summary>
public readonly record struct DecodedReading(TemperatureReading? Reading, string? Error, RejectReason Reason = default)
{
    /// <summary>
    /// Control characters of the sender's text are escaped here, once for all: the reason goes to
    /// the sender, into the log and to terminals, where they could forge lines or move the cursor.
    /// </summary>
    public static DecodedReading Invalid(RejectReason reason, string error) => new(null, Printable.Escape(error), reason);
}

/// <summary>
/// The wire format (docs/design.md). Our sensors send a <c>Data</c> body of UTF-8 JSON; the
/// aggregator also takes what the original publishers sent: an <c>AmqpValue</c> string or number,
/// or a <c>Data</c> body holding a number as text.
/// </summary>
public static class ReadingCodec
{
    public const string ContentType = "application/json";

    /// <summary>The largest body taken; anything larger is no reading.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly JsonEncodedText DeviceIdName = JsonEncodedText.Encode("device-id");
    private static readonly JsonEncodedText TemperatureName = JsonEncodedText.Encode("temperature");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText SeqName = JsonEncodedText.Encode("seq");

    // A sensor node encodes every reading of its fleet, up to 100,000 a second: writing the four
    // fields straight into a per-thread buffer skips the serializer's converters and an allocation
    // per reading, and writes the same bytes.
    [ThreadStatic] private static ArrayBufferWriter<byte>? encodeBuffer;
    [ThreadStatic] private static Utf8JsonWriter? encodeWriter;

    public static Message Encode(TemperatureReading reading)
    {
        var buffer = encodeBuffer ??= new ArrayBufferWriter<byte>(128);
        buffer.ResetWrittenCount();
        var writer = encodeWriter ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString(DeviceIdName, reading.DeviceId);
        writer.WriteNumber(TemperatureName, reading.Temperature);
        writer.WriteString(TimestampName, reading.Timestamp.UtcDateTime);
        writer.WriteNumber(SeqName, reading.Seq);
        writer.WriteEndObject();
        writer.Flush();
        return new Message
        {
            Properties = new Properties { ContentType = ContentType },
            BodySection = new Data { Binary = buffer.WrittenSpan.ToArray() },
        };
    }

    /// <summary>
    /// A window maximum for the address <c>max</c>: a <c>Data</c> body of JSON, as docs/design.md
    /// writes it, with a message id of its start and incarnation, the same when it is sent again.
    /// </summary>
    public static Message EncodeWindow(WindowMaximum window)
    {
        var wire = new WireWindow(window.WindowStart.UtcDateTime, window.WindowEnd.UtcDateTime, window.Max, window.DeviceId, window.Count, window.Nodes, window.Incarnation);
        return new Message
        {
            Properties = new Properties { ContentType = ContentType, MessageId = WindowMessageId(window.WindowStart, window.Incarnation) },
            BodySection = new Data { Binary = JsonSerializer.SerializeToUtf8Bytes(wire, WireJson.Options) },
        };
    }

    public static string WindowMessageId(DateTimeOffset windowStart, long incarnation) =>
        string.Create(CultureInfo.InvariantCulture, $"window-{windowStart.ToUnixTimeMilliseconds()}-{incarnation}");

    /// <summary>The start of the window a message of <see cref="EncodeWindow"/> carries, by its message id.</summary>
    public static DateTimeOffset? WindowStartOf(Message message) =>
        message.Properties?.MessageId is string id && id.Split('-') is ["window", var start, _] && long.TryParse(start, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    /// <param name="receivedAt">The timestamp of a reading that carries none.</param>
    public static DecodedReading Decode(Message message, DateTimeOffset receivedAt) => message.BodySection switch
    {
        _ when MalformedMessage.Problem(message) is { } problem => DecodedReading.Invalid(RejectReason.NotAmqp, problem),
        Data data => DecodeData(data.Binary, receivedAt),
        DataList sections => DecodeData(sections, receivedAt),
        AmqpValue { Value: string text } => text.Length > MaxBodyBytes
            ? TooLarge(Encoding.UTF8.GetByteCount(text))
            : FromNumberText(text, receivedAt),
        AmqpValue { Value: var value } when IsNumber(value) => Validated(TemperatureReading.UnknownDevice, Convert.ToDouble(value, CultureInfo.InvariantCulture), receivedAt, 0),
        AmqpValue { Value: var value } => DecodedReading.Invalid(RejectReason.Body, $"the AmqpValue body is a {value?.GetType().Name ?? "null"}, not a temperature; send a number or JSON with \"temperature\""),
        null => DecodedReading.Invalid(RejectReason.Body, "the message has no body; send a number or JSON with \"temperature\""),
        var other => DecodedReading.Invalid(RejectReason.Body, $"a {other.GetType().Name} body is not a reading; send a Data body of JSON or an AmqpValue number"),
    };

    /// <summary>AMQP lets a writer split a body over several Data sections; together they are one.</summary>
    private static DecodedReading DecodeData(DataList sections, DateTimeOffset receivedAt)
    {
        var length = 0L;
        for (var i = 0; i < sections.Count; i++)
        {
            length += sections[i].Binary?.Length ?? 0;
        }

        if (length > MaxBodyBytes)
        {
            return TooLarge((int)Math.Min(length, int.MaxValue));
        }

        var body = new byte[length];
        var offset = 0;
        for (var i = 0; i < sections.Count; i++)
        {
            sections[i].Binary?.CopyTo(body, offset);
            offset += sections[i].Binary?.Length ?? 0;
        }

        return DecodeData(body, receivedAt);
    }

    private static DecodedReading DecodeData(byte[]? body, DateTimeOffset receivedAt)
    {
        if (body is null || body.Length == 0)
        {
            return DecodedReading.Invalid(RejectReason.Body, "the Data body is empty; send JSON with \"temperature\" or a number");
        }

        if (body.Length > MaxBodyBytes)
        {
            return TooLarge(body.Length);
        }

        // Some writers start UTF-8 with a byte-order mark; it says nothing about the reading.
        var text = body.AsSpan().StartsWith(Utf8Bom) ? body[Utf8Bom.Length..] : body;
        var first = Array.FindIndex(text, b => !char.IsWhiteSpace((char)b));
        return first >= 0 && text[first] == (byte)'{'
            ? FromJson(text, receivedAt)
            : FromNumberText(Encoding.UTF8.GetString(text), receivedAt);
    }

    private static DecodedReading FromJson(byte[] body, DateTimeOffset receivedAt)
    {
        WireReading? wire;
        try
        {
            wire = ReadFourFields(body) ?? JsonSerializer.Deserialize<WireReading>(body, WireJson.Options);
        }
        catch (JsonException e)
        {
            // The serializer's own message names our internal types; the position is what the sender needs.
            return DecodedReading.Invalid(RejectReason.Format, $"the JSON body is malformed or has a value of the wrong kind at {e.Path ?? "$"} (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}); send {{\"device-id\":\"...\",\"temperature\":22.4}}");
        }

        if (wire?.Temperature is not { } temperature)
        {
            return DecodedReading.Invalid(RejectReason.Format, "the JSON body has no \"temperature\"");
        }

        var device = string.IsNullOrWhiteSpace(wire.DeviceId) ? TemperatureReading.UnknownDevice : wire.DeviceId;
        if (TemperatureReading.DeviceIdProblem(device) is { } problem)
        {
            return DecodedReading.Invalid(RejectReason.DeviceId, problem);
        }

        var timestamp = wire.Timestamp is { } sent ? new DateTimeOffset(sent.ToUniversalTime()) : receivedAt;
        return Validated(device, temperature, timestamp, wire.Seq ?? 0);
    }

    /// <summary>
    /// An aggregator decodes every reading, up to 100,000 a second: the object our sensors write (the
    /// four fields, each once, each of its own kind) is read field by field, which the serializer's
    /// converters cost several times over. Anything else is null here and goes to the serializer, whose
    /// values are the same and whose errors say where the body went wrong.
    /// </summary>
    private static WireReading? ReadFourFields(ReadOnlySpan<byte> body)
    {
        const int DeviceId = 1, Temperature = 2, Timestamp = 4, Seq = 8;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            (string? deviceId, double? temperature, DateTime? timestamp, long? seq) = (null, null, null, null);
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueTextEquals("device-id"u8) ? DeviceId
                    : reader.ValueTextEquals("temperature"u8) ? Temperature
                    : reader.ValueTextEquals("timestamp"u8) ? Timestamp
                    : reader.ValueTextEquals("seq"u8) ? Seq
                    : 0;
                if (field == 0 || (seen & field) != 0 || !reader.Read())
                {
                    return null;
                }

                seen |= field;
                switch (field, reader.TokenType)
                {
                    case (DeviceId, JsonTokenType.String):
                        deviceId = reader.GetString();
                        break;
                    case (Temperature, JsonTokenType.Number) when reader.TryGetDouble(out var value):
                        temperature = value;
                        break;
                    case (Timestamp, JsonTokenType.String) when reader.TryGetDateTime(out var value):
                        timestamp = value;
                        break;
                    case (Seq, JsonTokenType.Number) when reader.TryGetInt64(out var value):
                        seq = value;
                        break;
                    default:
                        return null;
                }
            }

            // Only whitespace may follow the object; anything more is the serializer's to name.
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? new WireReading(deviceId, temperature, timestamp, seq) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DecodedReading FromNumberText(string text, DateTimeOffset receivedAt) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var temperature)
            ? Validated(TemperatureReading.UnknownDevice, temperature, receivedAt, 0)
            : DecodedReading.Invalid(RejectReason.Format, $"'{Shorten(text)}' is not a number");

    private static DecodedReading Validated(string device, double temperature, DateTimeOffset timestamp, long seq)
    {
        if (!double.IsFinite(temperature))
        {
            return DecodedReading.Invalid(RejectReason.Temperature, $"temperature {temperature} is not a finite number");
        }

        if (temperature is < TemperatureReading.AbsoluteZero or > TemperatureReading.Ceiling)
        {
            return DecodedReading.Invalid(RejectReason.Temperature, $"temperature {temperature.ToString(CultureInfo.InvariantCulture)} °C is outside {TemperatureReading.AbsoluteZero}..{TemperatureReading.Ceiling} °C");
        }

        return new DecodedReading(new TemperatureReading(device, temperature, timestamp, seq), null);
    }

    private static DecodedReading TooLarge(int bytes) =>
        DecodedReading.Invalid(RejectReason.TooLarge, $"the body has {bytes} bytes, over the {MaxBodyBytes}-byte limit of a reading");

    private static bool IsNumber(object? value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>The JSON shape on the wire, with the wire format's kebab-case names; UTC times end in Z.</summary>
    private sealed record WireReading(
        [property: System.Text.Json.Serialization.JsonPropertyName("device-id")] string? DeviceId,
        [property: System.Text.Json.Serialization.JsonPropertyName("temperature")] double? Temperature,
        [property: System.Text.Json.Serialization.JsonPropertyName("timestamp")] DateTime? Timestamp,
        [property: System.Text.Json.Serialization.JsonPropertyName("seq")] long? Seq);

    private sealed record WireWindow(
        [property: System.Text.Json.Serialization.JsonPropertyName("window-start")] DateTime WindowStart,
        [property: System.Text.Json.Serialization.JsonPropertyName("window-end")] DateTime WindowEnd,
        [property: System.Text.Json.Serialization.JsonPropertyName("max")] double Max,
        [property: System.Text.Json.Serialization.JsonPropertyName("device-id")] string DeviceId,
        [property: System.Text.Json.Serialization.JsonPropertyName("count")] int Count,
        [property: System.Text.Json.Serialization.JsonPropertyName("nodes")] int Nodes,
        [property: System.Text.Json.Serialization.JsonPropertyName("incarnation")] long Incarnation);

    private static class WireJson
    {
        public static readonly JsonSerializerOptions Options = new()
        {
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        };
    }
}
