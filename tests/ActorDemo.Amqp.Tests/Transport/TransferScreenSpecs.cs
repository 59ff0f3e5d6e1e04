using System.Buffers.Binary;
using Amqp;
using Amqp.Framing;
using Amqp.Types;
using Xunit;

namespace ActorDemo.Amqp.Tests.Transport;

[Trait("Category", "Reliability")]
public sealed class TransferScreenSpecs
{
    private const int MaxFrameSize = 4096;
    private readonly TransferScreen _screen = new(MaxFrameSize);

    public static TheoryData<string, string> MalformedPayloads => new()
    {
        { "bytes that are no AMQP type", "68656c6c6f2c206e6f7420616d7170" },
        { "a section cut short", "005375a00a3132" },
        { "an unknown section descriptor", "0053" + "7f40" },
        { "a value outside any section", "a103616263" },
        { "a header whose durable field is a string", "005370c00301a100" },
        { "a list larger than the payload", "005373d0000000ff00000001" },
    };

    [Fact]
    public void A_transfer_of_a_valid_message_passes_untouched()
    {
        var frame = TransferFrame(Encode(Reading("21.5")));

        Assert.Null(Screen(frame));
    }

    [Fact]
    public void Frames_other_than_transfers_pass_untouched()
    {
        var flow = Frame(new Flow { NextIncomingId = 1, IncomingWindow = 100, NextOutgoingId = 1, OutgoingWindow = 100, Handle = 0, LinkCredit = 10 }, []);
        byte[] heartbeat = [0, 0, 0, 8, 2, 0, 0, 0];

        Assert.Null(Screen(flow));
        Assert.Null(Screen(heartbeat));
    }

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void A_transfer_whose_payload_is_not_an_AMQP_message_is_replaced_by_one_that_names_the_problem(string kind, string payloadHex)
    {
        var rewritten = Screen(TransferFrame(Convert.FromHexString(payloadHex)));

        Assert.True(rewritten is not null, $"{kind} passed the screen");
        var problem = MalformedMessage.Problem(Message.Decode(Payload(rewritten)));
        Assert.NotNull(problem);
        Assert.Contains("not an AMQP message", problem);
    }

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void A_payload_read_unscreened_in_the_routers_process_that_is_not_an_AMQP_message_decodes_to_a_stand_in_naming_the_problem(string kind, string payloadHex)
    {
        var payload = Convert.FromHexString(payloadHex);

        var problem = MalformedMessage.Problem(TransferScreen.Decode(payload, 0, payload.Length));

        Assert.True(problem is not null, $"{kind} decoded as a message");
        Assert.Contains("not an AMQP message", problem);
    }

    [Fact]
    public void A_payload_read_unscreened_that_is_a_message_decodes_as_it_was_sent()
    {
        var payload = Encode(Reading("21.5"));

        var message = TransferScreen.Decode(payload, 0, payload.Length);

        Assert.Null(MalformedMessage.Problem(message));
        Assert.Equal("21.5", message.Body);
    }

    [Fact]
    public void The_stand_in_keeps_the_transfer_performative_so_the_delivery_can_be_rejected()
    {
        var rewritten = Screen(TransferFrame(Convert.FromHexString("a103616263"), deliveryId: 42))!;

        var transfer = Assert.IsType<Transfer>(Performative(rewritten));
        Assert.Equal(42u, transfer.DeliveryId);
        Assert.Equal(rewritten.Length, BinaryPrimitives.ReadInt32BigEndian(rewritten));
    }

    [Fact]
    public void A_message_in_several_frames_reaches_the_link_whole_in_its_last_frame()
    {
        var message = Encode(new Message { ApplicationProperties = new ApplicationProperties { ["note"] = new string('x', 2500) }, BodySection = new AmqpValue { Value = "21.5" } });

        var first = Screen(TransferFrame(message[..1000], more: true))!;
        var middle = Screen(TransferFrame(message[1000..2000], more: true, continuation: true))!;
        var last = Screen(TransferFrame(message[2000..], continuation: true))!;

        Assert.Equal(0, Payload(first).Length);
        Assert.Equal(0, Payload(middle).Length);
        Assert.Equal(message, Bytes(Payload(last)));
        Assert.False(Assert.IsType<Transfer>(Performative(last)).More);
    }

    [Fact]
    public void A_malformed_message_in_several_frames_is_replaced_in_its_last_frame()
    {
        var garbage = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

        Screen(TransferFrame(garbage[..1500], more: true));
        var last = Screen(TransferFrame(garbage[1500..], continuation: true))!;

        Assert.Contains("not an AMQP message", MalformedMessage.Problem(Message.Decode(Payload(last))));
    }

    [Fact]
    public void A_message_larger_than_a_frame_is_replaced_by_one_saying_it_is_too_large()
    {
        var part = new byte[3000];

        Screen(TransferFrame(part, more: true));
        Screen(TransferFrame(part, more: true, continuation: true));
        var last = Screen(TransferFrame(part, continuation: true))!;

        Assert.Contains("larger than", MalformedMessage.Problem(Message.Decode(Payload(last))));
    }

    [Fact]
    public void Messages_gathered_on_two_links_at_once_are_kept_apart()
    {
        var one = Encode(Reading(new string('1', 1500)));
        var two = Encode(Reading(new string('2', 1500)));

        Screen(TransferFrame(one[..700], handle: 1, more: true));
        Screen(TransferFrame(two[..700], handle: 2, more: true));
        var lastOne = Screen(TransferFrame(one[700..], handle: 1, continuation: true))!;
        var lastTwo = Screen(TransferFrame(two[700..], handle: 2, continuation: true))!;

        Assert.Equal(one, Bytes(Payload(lastOne)));
        Assert.Equal(two, Bytes(Payload(lastTwo)));
    }

    [Fact]
    public void An_aborted_delivery_is_replaced_by_one_saying_so()
    {
        var message = Encode(Reading("21.5"));

        Screen(TransferFrame(message[..5], more: true));
        var last = Screen(TransferFrame(message[5..], continuation: true, aborted: true))!;

        Assert.Contains("aborted", MalformedMessage.Problem(Message.Decode(Payload(last))));
    }

    private byte[]? Screen(byte[] frame)
    {
        // The frame sits in a larger buffer, as in a transport's read buffer.
        var buffer = new byte[frame.Length + 20];
        frame.CopyTo(buffer, 10);
        return _screen.Screen(buffer, 10, frame.Length);
    }

    private static Message Reading(string value) => new() { BodySection = new AmqpValue { Value = value } };

    private static byte[] Encode(Message message) => Bytes(message.Encode());

    private static byte[] Bytes(ByteBuffer buffer) => buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).ToArray();

    private static byte[] TransferFrame(byte[] payload, uint handle = 0, uint deliveryId = 1, bool more = false, bool continuation = false, bool aborted = false)
    {
        var transfer = continuation
            ? new Transfer { Handle = handle, More = more, Aborted = aborted }
            : new Transfer { Handle = handle, DeliveryId = deliveryId, DeliveryTag = [1, 2, 3, 4], MessageFormat = 0, More = more, Aborted = aborted };
        return Frame(transfer, payload);
    }

    private static byte[] Frame(DescribedList performative, byte[] payload)
    {
        var body = new ByteBuffer(64, true);
        performative.Encode(body);
        var frame = new byte[8 + body.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length);
        frame[4] = 2;
        body.Buffer.AsSpan(body.Offset, body.Length).CopyTo(frame.AsSpan(8));
        payload.CopyTo(frame, 8 + body.Length);
        return frame;
    }

    private static object Performative(byte[] frame)
    {
        var buffer = new ByteBuffer(frame, 8, frame.Length - 8, frame.Length);
        return Encoder.ReadObject(buffer);
    }

    /// <summary>What follows the performative: the message bytes the link receives.</summary>
    private static ByteBuffer Payload(byte[] frame)
    {
        var buffer = new ByteBuffer(frame, 8, frame.Length - 8, frame.Length);
        Encoder.ReadObject(buffer);
        return buffer;
    }
}
