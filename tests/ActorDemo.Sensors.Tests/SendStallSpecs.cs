using ActorDemo.Amqp;
using Xunit;

namespace ActorDemo.Sensors.Tests;

/// <summary>How a sensor node tells why its readings wait, from its link's counters alone.</summary>
public sealed class SendStallSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly SendStall _stall = new(maxInFlight: 1000, "temperature", noReceiverAfter: TimeSpan.FromSeconds(2));

    [Fact]
    public void Nothing_waiting_on_an_attached_link_is_no_stall()
    {
        _stall.Judge(Link(LinkStatus.Attached, waiting: 0), Now);

        Assert.Equal((StallCause.None, ""), (_stall.Cause, _stall.Explanation));
    }

    [Fact]
    public void A_link_that_is_not_attached_is_the_cause_and_its_error_is_named()
    {
        _stall.Judge(Link(LinkStatus.Reconnecting, waiting: 5, error: "connection refused"), Now);

        Assert.Equal(StallCause.LinkDown, _stall.Cause);
        Assert.Contains("is Reconnecting (connection refused); check --amqp-url", _stall.Explanation);
    }

    [Fact]
    public void Readings_waiting_while_nothing_is_settled_for_a_while_mean_no_receiver()
    {
        var link = Link(LinkStatus.Attached, waiting: 5);
        _stall.Judge(link, Now);
        Assert.Equal(StallCause.None, _stall.Cause);

        _stall.Judge(link, Now.AddSeconds(2));

        Assert.Equal(StallCause.NoReceiver, _stall.Cause);
        Assert.Contains("no receiver is attached; start an aggregator", _stall.Explanation);
    }

    [Fact]
    public void A_full_in_flight_window_that_keeps_being_settled_means_settlement_sets_the_pace()
    {
        var link = Link(LinkStatus.Attached, waiting: 1000);
        _stall.Judge(link, Now);
        link.OnAccepted();

        _stall.Judge(link, Now.AddSeconds(5));

        Assert.Equal((StallCause.AwaitingSettlement, 1000L), (_stall.Cause, _stall.Waiting));
        Assert.Contains("--max-in-flight (1000)", _stall.Explanation);
    }

    [Fact]
    public void A_window_not_yet_full_that_keeps_being_settled_is_no_stall()
    {
        var link = Link(LinkStatus.Attached, waiting: 999);
        _stall.Judge(link, Now);
        link.OnAccepted();

        _stall.Judge(link, Now.AddSeconds(5));

        Assert.Equal(StallCause.None, _stall.Cause);
    }

    private static AmqpLinkMetrics Link(LinkStatus state, long waiting, string? error = null)
    {
        var link = new AmqpLinkMetrics();
        link.SetState(state, error);
        link.SetInFlight(unsettled: waiting, pending: 0);
        return link;
    }
}
