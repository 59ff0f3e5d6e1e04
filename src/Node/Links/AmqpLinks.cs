using ActorDemo.Amqp;

namespace ActorDemo.Node.Links;

/// <summary>
/// The AMQP links of this node, registered as their streams materialize, for <c>amqp show</c>, the
/// metrics, the readiness checks and the dashboard.
/// </summary>
public sealed class AmqpLinks
{
    private readonly List<(string Name, string Address, AmqpLinkMetrics Metrics)> _links = [];

    /// <summary>Registers a link; one materialized again under the same name replaces the old one.</summary>
    /// <returns><paramref name="metrics"/>, so that a stream can register its link as it materializes.</returns>
    public AmqpLinkMetrics Register(string name, string address, AmqpLinkMetrics metrics)
    {
        lock (_links)
        {
            _links.RemoveAll(link => link.Name == name);
            _links.Add((name, address, metrics));
        }

        return metrics;
    }

    /// <summary>The counters of the link named <paramref name="name"/>; null until its stream runs.</summary>
    public AmqpLinkMetrics? Find(string name)
    {
        lock (_links)
        {
            return _links.FirstOrDefault(link => link.Name == name).Metrics;
        }
    }

    /// <summary>The links registered so far.</summary>
    public IReadOnlyList<(string Name, string Address, AmqpLinkMetrics Metrics)> All()
    {
        lock (_links)
        {
            return [.. _links];
        }
    }

    public IReadOnlyList<AmqpLinkReport> Report()
    {
        lock (_links)
        {
            return _links.Select(link => new AmqpLinkReport(
                link.Name,
                link.Address,
                link.Metrics.State.ToString(),
                link.Metrics.Sent,
                link.Metrics.Presettled,
                link.Metrics.Received,
                link.Metrics.Accepted,
                link.Metrics.Rejected,
                link.Metrics.Released,
                link.Metrics.Resent,
                link.Metrics.Unsettled,
                link.Metrics.Pending,
                link.Metrics.Reconnects,
                link.Metrics.LastError)).ToList();
        }
    }
}

public sealed record AmqpLinkReport(
    string Name,
    string Address,
    string State,
    long Sent,
    long Presettled,
    long Received,
    long Accepted,
    long Rejected,
    long Released,
    long Resent,
    long Unsettled,
    long Pending,
    long Reconnects,
    string? LastError);
