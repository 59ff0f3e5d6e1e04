using ActorDemo.Shared.Amqp;

namespace ActorDemo.Shared.Inspection;

/// <summary>The AMQP links of this node, registered by the roles that open them, for <c>amqp show</c>.</summary>
public sealed class AmqpLinks
{
    private readonly List<(string Name, string Address, AmqpLinkMetrics Metrics)> _links = [];

    public void Add(string name, string address, AmqpLinkMetrics metrics)
    {
        lock (_links)
        {
            _links.Add((name, address, metrics));
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
