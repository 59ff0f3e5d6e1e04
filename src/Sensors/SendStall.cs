using System.Diagnostics.Metrics;
using ActorDemo.Node;
using ActorDemo.Amqp;

namespace ActorDemo.Sensors;

/// <summary>Why a sensor node's readings wait instead of leaving, when they do.</summary>
public enum StallCause
{
    /// <summary>Readings leave as fast as they come.</summary>
    None,

    /// <summary>The AMQP link is not attached: the router is unreachable, refuses us, or restarts.</summary>
    LinkDown,

    /// <summary>The link is up but nothing was settled for a while: on an anycast address, no receiver with credit is attached.</summary>
    NoReceiver,

    /// <summary>
    /// The in-flight window is full of readings the aggregators have not settled yet, while they keep
    /// settling: settlement, not the sensors, sets the pace (too small a window, or a router that caps a link).
    /// </summary>
    AwaitingSettlement,
}

/// <summary>
/// Judges, from the readings link's counters, why readings wait: once a second, by the publisher;
/// read by the drop warning, <c>cmd sensors show</c>, the metrics and the readiness probe.
/// </summary>
/// <param name="noReceiverAfter">How long nothing may be settled while readings wait before no receiver is taken to be there.</param>
public sealed class SendStall(int maxInFlight, string address, TimeSpan noReceiverAfter)
{
    public static readonly TimeSpan DefaultNoReceiverAfter = TimeSpan.FromSeconds(2);

    private static readonly StallCause[] Causes = Enum.GetValues<StallCause>();

    private volatile Judgement _latest = new(StallCause.None, 0, null);
    private long _lastAccepted = -1;
    private DateTimeOffset _lastSettlement;

    public StallCause Cause => _latest.Cause;

    /// <summary>Readings taken by the link and not yet settled, at the last judgement.</summary>
    public long Waiting => _latest.Waiting;

    /// <summary>What holds the readings back and what lifts it; empty when nothing does.</summary>
    public string Explanation => _latest.Cause switch
    {
        StallCause.LinkDown => $"the AMQP link to '{address}' is {_latest.LinkState}; check --amqp-url, the credentials and the router.",
        StallCause.NoReceiver => $"'{address}' is anycast, so no reading can leave while no receiver is attached; start an aggregator.",
        StallCause.AwaitingSettlement =>
            $"{_latest.Waiting} readings are in flight awaiting settlement, all that --max-in-flight ({maxInFlight}) allows: the aggregators settle slower than the sensors send; " +
            "raise --max-in-flight, the router's link capacity (Qpid Dispatch's linkCapacity, 250 by default), or add aggregators.",
        _ => "",
    };

    public void Judge(AmqpLinkMetrics link, DateTimeOffset now)
    {
        var waiting = link.Unsettled + link.Pending;
        var accepted = link.Accepted + link.Rejected + link.Released;
        if (accepted != _lastAccepted || waiting == 0)
        {
            _lastAccepted = accepted;
            _lastSettlement = now;
        }

        var cause = link.State != LinkStatus.Attached ? StallCause.LinkDown
            : waiting == 0 ? StallCause.None
            : now - _lastSettlement >= noReceiverAfter ? StallCause.NoReceiver
            : waiting >= maxInFlight ? StallCause.AwaitingSettlement
            : StallCause.None;
        var state = link.LastError is { } error ? $"{link.State} ({error})" : link.State.ToString();
        _latest = new Judgement(cause, waiting, state);
    }

    /// <summary><c>actordemo.readings.stall</c>: 1 for the current cause, 0 for the others.</summary>
    public void Observe(Meter meter) =>
        meter.CreateObservableGauge(
            "actordemo.readings.stall",
            () => Causes.Select(cause => new Measurement<int>(cause == Cause ? 1 : 0, new KeyValuePair<string, object?>("cause", cause.Kebab()))),
            null,
            "Why this node's readings wait instead of leaving: 1 for the current cause (none, link-down, no-receiver, awaiting-settlement)");

    private sealed record Judgement(StallCause Cause, long Waiting, string? LinkState);
}
