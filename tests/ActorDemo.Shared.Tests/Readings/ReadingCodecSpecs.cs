using System.Text;
using ActorDemo.Amqp;
using ActorDemo.Readings;
using Amqp;
using Amqp.Framing;
using Xunit;

namespace ActorDemo.Shared.Tests.Readings;

public sealed class ReadingCodecSpecs
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 25, 7, 40, 10, TimeSpan.Zero);

    private static Message DataBody(string text) => new() { BodySection = new Data { Binary = Encoding.UTF8.GetBytes(text) } };

    private static TemperatureReading Valid(Message message)
    {
        var decoded = ReadingCodec.Decode(message, ReceivedAt);
        Assert.Null(decoded.Error);
        return decoded.Reading!;
    }

    private static string Invalid(Message message)
    {
        var decoded = ReadingCodec.Decode(message, ReceivedAt);
        Assert.Null(decoded.Reading);
        return decoded.Error!;
    }

    public static TheoryData<string, RejectReason> BadBodies => new()
    {
        { "", RejectReason.Body },
        { "hot", RejectReason.Format },
        { "{\"temperature\":", RejectReason.Format },
        { "{\"device-id\":\"a\"}", RejectReason.Format },
        { "1e309", RejectReason.Temperature },
        { "-300", RejectReason.Temperature },
        { "{\"device-id\":\"" + new string('x', 129) + "\",\"temperature\":20}", RejectReason.DeviceId },
        { new string('1', ReadingCodec.MaxBodyBytes + 1), RejectReason.TooLarge },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void A_message_that_is_no_reading_says_which_kind_of_problem_it_has(string body, RejectReason expected)
    {
        var decoded = ReadingCodec.Decode(DataBody(body), ReceivedAt);

        Assert.Null(decoded.Reading);
        Assert.Equal(expected, decoded.Reason);
    }

    [Fact]
    public void Our_sensors_json_reading_round_trips()
    {
        var reading = new TemperatureReading("sensor-node1-0007", 22.4, new DateTimeOffset(2026, 11, 25, 7, 40, 5, 123, TimeSpan.Zero), 42);

        var message = ReadingCodec.Encode(reading);

        Assert.Equal("application/json", message.Properties.ContentType.ToString());
        Assert.Equal(reading, Valid(message));
    }

    [Theory]
    [InlineData("capteur-salle-été")]
    [InlineData("a \"quoted\" \\ device")]
    [InlineData("温度计-7")]
    public void A_device_id_that_json_must_escape_round_trips(string deviceId)
    {
        var reading = new TemperatureReading(deviceId, -3.25, new DateTimeOffset(2026, 11, 25, 7, 40, 5, TimeSpan.Zero), long.MaxValue);

        Assert.Equal(reading, Valid(ReadingCodec.Encode(reading)));
    }

    [Fact]
    public void The_json_on_the_wire_has_the_design_cards_field_names()
    {
        var reading = new TemperatureReading("sensor-node1-0007", 22.4, new DateTimeOffset(2026, 11, 25, 7, 40, 5, 123, TimeSpan.Zero), 42);

        var json = Encoding.UTF8.GetString(((Data)ReadingCodec.Encode(reading).BodySection).Binary);

        Assert.Equal("""{"device-id":"sensor-node1-0007","temperature":22.4,"timestamp":"2026-11-25T07:40:05.123Z","seq":42}""", json);
    }

    [Fact]
    public void The_original_publishers_amqp_value_string_is_a_reading_of_an_unknown_device()
    {
        var reading = Valid(new Message("23"));

        Assert.Equal(23, reading.Temperature);
        Assert.Equal(TemperatureReading.UnknownDevice, reading.DeviceId);
        Assert.Equal(ReceivedAt, reading.Timestamp);
    }

    [Theory]
    [InlineData(23)]
    [InlineData(23L)]
    [InlineData(23.5)]
    [InlineData(23.5f)]
    public void An_amqp_value_number_is_a_reading(object value) =>
        Assert.Equal(Convert.ToDouble(value), Valid(new Message(value)).Temperature);

    [Fact]
    public void A_data_body_holding_a_number_as_text_is_a_reading() =>
        Assert.Equal(21.75, Valid(DataBody(" 21.75\n")).Temperature);

    [Theory]
    [InlineData("hot", "'hot' is not a number")]
    [InlineData("NaN", "not a finite number")]
    [InlineData("Infinity", "not a finite number")]
    [InlineData("-300", "outside -273.15..1000")]
    [InlineData("1000.5", "outside -273.15..1000")]
    public void A_value_that_is_no_plausible_temperature_is_rejected_with_its_reason(string body, string reason) =>
        Assert.Contains(reason, Invalid(new Message(body)));

    [Fact]
    public void A_json_reading_split_over_several_data_sections_is_one_reading()
    {
        var sections = new DataList();
        sections.Add(new Data { Binary = Encoding.UTF8.GetBytes("""{"device-id":"sensor-1","temp""") });
        sections.Add(new Data { Binary = Encoding.UTF8.GetBytes("""erature":22.5}""") });

        var reading = Valid(new Message { BodySection = sections });

        Assert.Equal(("sensor-1", 22.5), (reading.DeviceId, reading.Temperature));
    }

    [Fact]
    public void A_stand_in_for_a_transfer_that_was_no_message_is_rejected_with_the_problem_it_carries()
    {
        var standIn = new Message { DeliveryAnnotations = new DeliveryAnnotations { [MalformedMessage.Annotation] = "the payload is not an AMQP message" } };

        Assert.Equal("the payload is not an AMQP message", Invalid(standIn));
    }

    [Fact]
    public void A_device_id_longer_than_128_characters_is_rejected() =>
        Assert.Contains("more than the 128", Invalid(DataBody($$"""{"device-id":"{{new string('d', 129)}}","temperature":21}""")));

    [Fact]
    public void A_device_id_with_a_control_character_is_rejected() =>
        Assert.Contains("control character (U+001B)", Invalid(DataBody("""{"device-id":"sensor\u001b[2J","temperature":21}""")));

    [Fact]
    public void A_rejection_reason_quoting_the_sender_escapes_its_control_characters()
    {
        var reason = Invalid(DataBody("hot\nFAKE LOG LINE \u001b[31m"));

        Assert.Equal(-1, Printable.IndexOfControl(reason));
        Assert.Contains("hot\\u000aFAKE LOG LINE \\u001b[31m", reason);
    }

    public static TheoryData<string> SameReadingOtherwiseWritten => new()
    {
        """{"device-id":"sensor-a-0001","temperature":22.5,"timestamp":"2026-11-25T07:40:05.123Z","seq":42}""",
        """{"seq":42,"timestamp":"2026-11-25T07:40:05.123Z","temperature":22.5,"device-id":"sensor-a-0001"}""",
        """ { "device-id" : "sensor-a-0001" , "temperature" : 2.25e1 , "timestamp" : "2026-11-25T07:40:05.123Z" , "seq" : 42 } """,
        """{"device-id":"sensor-a-0001","unit":"C","temperature":22.5,"timestamp":"2026-11-25T07:40:05.123Z","seq":42}""",
        """{"device-id":"sensor-\u0061-0001","temperature":22.5,"timestamp":"2026-11-25T09:40:05.123+02:00","seq":42}""",
    };

    [Theory]
    [MemberData(nameof(SameReadingOtherwiseWritten))]
    public void A_reading_written_in_another_order_spacing_or_with_more_fields_reads_as_our_sensors_form(string body) =>
        Assert.Equal(
            new TemperatureReading("sensor-a-0001", 22.5, new DateTimeOffset(2026, 11, 25, 7, 40, 5, 123, TimeSpan.Zero), 42),
            Valid(DataBody(body)));

    [Fact]
    public void A_reading_with_null_fields_takes_the_unknown_device_the_arrival_time_and_sequence_0() =>
        Assert.Equal(
            new TemperatureReading(TemperatureReading.UnknownDevice, 22.5, ReceivedAt, 0),
            Valid(DataBody("""{"device-id":null,"temperature":22.5,"timestamp":null,"seq":null}""")));

    [Fact]
    public void Anything_after_the_reading_object_makes_it_malformed() =>
        Assert.Contains("malformed", Invalid(DataBody("""{"device-id":"sensor-a-0001","temperature":22.5} 23""")));

    [Fact]
    public void Json_without_a_temperature_is_rejected() =>
        Assert.Contains("no \"temperature\"", Invalid(DataBody("""{"device-id":"sensor-1"}""")));

    [Fact]
    public void Malformed_json_is_rejected() =>
        Assert.Contains("malformed", Invalid(DataBody("""{"temperature": 22.4""")));

    [Fact]
    public void A_body_over_64_KiB_is_rejected() =>
        Assert.Contains("over the 65536-byte limit", Invalid(DataBody(new string(' ', 70_000) + "22")));

    [Fact]
    public void A_message_without_a_body_is_rejected() =>
        Assert.Contains("no body", Invalid(new Message()));

    [Fact]
    public void An_amqp_value_of_another_type_is_rejected() =>
        Assert.Contains("not a temperature", Invalid(new Message(true)));

    [Fact]
    public void A_json_reading_that_starts_with_a_byte_order_mark_is_read() =>
        Assert.Equal(22.4, Valid(new Message { BodySection = new Data { Binary = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"device-id\":\"sensor-a-0001\",\"temperature\":22.4}")] } }).Temperature);

    [Fact]
    public void A_json_value_of_the_wrong_kind_is_rejected_with_where_not_with_our_type_names()
    {
        var error = Invalid(DataBody("{\"device-id\":\"sensor-a-0001\",\"temperature\":\"warm\"}"));

        Assert.Contains("$.temperature", error);
        Assert.DoesNotContain("ReadingCodec", error);
        Assert.DoesNotContain("ActorDemo", error);
    }

    [Fact]
    public void A_window_message_is_identified_by_its_start_and_incarnation_and_names_its_start()
    {
        var start = new DateTimeOffset(2026, 11, 25, 7, 40, 5, TimeSpan.Zero);
        var message = ReadingCodec.EncodeWindow(new WindowMaximum(start, start.AddSeconds(5), 24, "sensor-a-0001", 7, 1, 42));

        Assert.Equal($"window-{start.ToUnixTimeMilliseconds()}-42", message.Properties.MessageId);
        Assert.Equal(start, ReadingCodec.WindowStartOf(message));
    }

    [Fact]
    public void A_message_without_a_window_id_names_no_window_start() =>
        Assert.Null(ReadingCodec.WindowStartOf(ReadingCodec.Encode(new TemperatureReading("sensor-a-0001", 22, DateTimeOffset.UnixEpoch, 1))));
}
