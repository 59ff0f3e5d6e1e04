using System.Diagnostics.Metrics;
using ActorDemo.Amqp;
using ActorDemo.Node.Links;
using Akka.Actor;
using Akka.Cluster;

namespace ActorDemo.Node.Observability;

/// <summary>
/// The node's one <see cref="Meter"/>, named <c>ActorDemo</c>. Its instruments observe the counters
/// the node keeps anyway (those that <c>cmd</c> shows), so <c>/metrics</c> and <c>cmd</c> read the
/// same numbers; only what happens once per event and has no counter of its own (latencies) is
/// recorded here.
/// </summary>
public sealed class NodeMeter
{
    public const string Name = "ActorDemo";

    private static readonly LinkStatus[] LinkStates = Enum.GetValues<LinkStatus>();
    private static readonly MemberStatus[] MemberStates = Enum.GetValues<MemberStatus>();

    public NodeMeter(IMeterFactory factory, AmqpLinks links)
    {
        Meter = factory.Create(Name);
        ObserveLinks(links);
    }

    public Meter Meter { get; }

    /// <summary>Members of the cluster as this node sees them, by status.</summary>
    public void ObserveCluster(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        Meter.CreateObservableGauge(
            "actordemo.cluster.members",
            () =>
            {
                var members = cluster.State.Members;
                return MemberStates.Select(status => new Measurement<int>(
                    members.Count(m => m.Status == status),
                    new KeyValuePair<string, object?>("status", status.ToString().ToLowerInvariant())));
            },
            "{member}",
            "Cluster members as this node sees them, by status");
    }

    private void ObserveLinks(AmqpLinks links)
    {
        Counter("actordemo.amqp.sent", "Messages sent on the link (resends included)", m => m.Sent);
        Counter("actordemo.amqp.received", "Messages received on the link", m => m.Received);
        Counter("actordemo.amqp.accepted", "Messages settled as accepted (by the peer for a sender, by this node for a receiver)", m => m.Accepted);
        Counter("actordemo.amqp.rejected", "Messages settled as rejected", m => m.Rejected);
        Counter("actordemo.amqp.released", "Messages handed back released or modified", m => m.Released);
        Counter("actordemo.amqp.resent", "Messages sent again after a release or a lost link", m => m.Resent);
        Counter("actordemo.amqp.reconnects", "Times the link was re-established", m => m.Reconnects);
        Gauge("actordemo.amqp.unsettled", "Messages sent and not yet settled by the peer", m => m.Unsettled);
        Gauge("actordemo.amqp.pending", "Messages taken by the sink and not yet sent", m => m.Pending);
        Meter.CreateObservableGauge(
            "actordemo.amqp.link.state",
            () => links.All().SelectMany(link => LinkStates.Select(state => new Measurement<int>(
                link.Metrics.State == state ? 1 : 0,
                Tags(link.Name, link.Address).Append(new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()))))),
            null,
            "1 for the link's current state, 0 for the others");

        void Counter(string name, string description, Func<AmqpLinkMetrics, long> value) =>
            Meter.CreateObservableCounter(name, () => Measure(value), "{message}", description);

        void Gauge(string name, string description, Func<AmqpLinkMetrics, long> value) =>
            Meter.CreateObservableGauge(name, () => Measure(value), "{message}", description);

        IEnumerable<Measurement<long>> Measure(Func<AmqpLinkMetrics, long> value) =>
            links.All().Select(link => new Measurement<long>(value(link.Metrics), Tags(link.Name, link.Address)));
    }

    private static KeyValuePair<string, object?>[] Tags(string link, string address) =>
        [new("link", link), new("address", address)];
}
