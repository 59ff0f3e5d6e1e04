using ActorDemo.Node.Downing;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Shared.Tests.Downing;

/// <summary>
/// The resolver on a real cluster: actor systems in this process joined over real remoting on
/// loopback. A crash is a system that stops without leaving (no coordinated shutdown), so that the
/// others see it only go silent.
/// </summary>
public sealed class AggregatorDowningSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output)
{
    private static readonly TimeSpan Decision = TimeSpan.FromSeconds(40);
    private readonly List<ActorSystem> _others = [];

    [Fact]
    public void The_survivors_down_a_crashed_oldest_aggregator_and_stay_up()
    {
        var oldest = Join("aggregator");
        var (aggregator, sensor) = (Join("aggregator"), Join("sensor"));
        var oldestAddress = Cluster.Get(oldest).SelfAddress;

        Crash(oldest);

        foreach (var survivor in new[] { aggregator, sensor })
        {
            AwaitRemovedLeavingTwoUp(survivor, oldestAddress);
        }
    }

    [Fact]
    public void A_crashed_sensor_node_is_downed_and_the_aggregators_stay_up()
    {
        var (first, second, sensor) = (Join("aggregator"), Join("aggregator"), Join("sensor"));
        var sensorAddress = Cluster.Get(sensor).SelfAddress;

        Crash(sensor);

        AwaitRemovedLeavingTwoUp(first, sensorAddress);
        Assert.Equal(MemberStatus.Up, Cluster.Get(second).SelfMember.Status);
    }

    protected override void AfterAll()
    {
        foreach (var other in _others)
        {
            other.Terminate().Wait(TimeSpan.FromSeconds(10));
        }

        base.AfterAll();
    }

    /// <summary>Waits until <paramref name="survivor"/> no longer counts <paramref name="crashed"/> and sees the two others Up.</summary>
    private void AwaitRemovedLeavingTwoUp(ActorSystem survivor, Address crashed) => AwaitAssert(
        () =>
        {
            var members = Cluster.Get(survivor).State.Members;
            Assert.DoesNotContain(members, m => m.Address == crashed);
            Assert.Equal(2, members.Count(m => m.Status == MemberStatus.Up));
        },
        Decision);

    private static Config NodeConfig(string role) => ConfigurationFactory.ParseString($$"""
        akka.loglevel = INFO
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster { roles = [{{role}}], gossip-interval = 200ms, leader-actions-interval = 200ms }
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.cluster.run-coordinated-shutdown-when-down = off
        {{AggregatorDowningProvider.Hocon}}
        """);

    /// <summary>
    /// A node with <paramref name="role"/>, joined to the first (or the first itself), once every node
    /// sees every member Up: a crash before the others have seen a join is another case.
    /// </summary>
    private ActorSystem Join(string role)
    {
        var node = ActorSystem.Create("actordemo", NodeConfig(role));
        _others.Add(node);
        Cluster.Get(node).Join(Cluster.Get(_others[0]).SelfAddress);
        AwaitAssert(
            () => Assert.All(_others, other => Assert.Equal(
                _others.Count,
                Cluster.Get(other).State.Members.Count(m => m.Status == MemberStatus.Up))),
            TimeSpan.FromSeconds(20));
        return node;
    }

    /// <summary>Stops the node without a word to the others: with coordinated shutdown off, terminating does not leave.</summary>
    private static void Crash(ActorSystem node) => node.Terminate().Wait(TimeSpan.FromSeconds(10));
}
