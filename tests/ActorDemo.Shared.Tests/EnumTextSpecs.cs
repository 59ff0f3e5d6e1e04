using ActorDemo.Amqp;
using ActorDemo.Node;
using ActorDemo.Readings;
using Xunit;

namespace ActorDemo.Shared.Tests;

public sealed class EnumTextSpecs
{
    [Theory]
    [InlineData(RejectReason.NotAmqp, "not-amqp")]
    [InlineData(RejectReason.Body, "body")]
    [InlineData(RejectReason.TooLarge, "too-large")]
    [InlineData(RejectReason.Format, "format")]
    [InlineData(RejectReason.Temperature, "temperature")]
    [InlineData(RejectReason.DeviceId, "device-id")]
    [InlineData(RejectReason.Future, "future")]
    public void Each_reject_reason_has_the_label_the_metrics_document(RejectReason reason, string label) =>
        Assert.Equal(label, reason.Kebab());

    [Fact]
    public void A_delivery_reads_as_its_flag_takes_it() =>
        Assert.Equal("at-least-once", DeliveryMode.AtLeastOnce.Kebab());
}
