using ActorDemo.Node.Downing;
using Akka.Actor;
using Akka.Cluster;
using Xunit;

namespace ActorDemo.Shared.Tests.Downing;

/// <summary>The split brain verdicts, as the leader of one side computes them from its view of the members.</summary>
public sealed class PartitionDecisionSpecs
{
    [Fact]
    public void The_survivor_of_two_aggregators_downs_the_crashed_oldest_as_it_still_sees_a_sensor_node()
    {
        var (a, b, s) = (Aggregator(0), Aggregator(1), Sensor(2));

        var down = Decide(seen: [b, s], unseen: [a]);

        Assert.Equal([a.Node], down);
    }

    [Fact]
    public void The_oldest_aggregator_cut_off_alone_downs_itself()
    {
        var (a, b, s) = (Aggregator(0), Aggregator(1), Sensor(2));

        var down = Decide(seen: [a], unseen: [b, s]);

        Assert.Equal([a.Node], down);
    }

    [Fact]
    public void The_oldest_aggregator_downs_a_younger_one_that_crashed()
    {
        var (a, b, s) = (Aggregator(0), Aggregator(1), Sensor(2));

        Assert.Equal([b.Node], Decide(seen: [a, s], unseen: [b]));
    }

    [Fact]
    public void The_side_with_more_aggregator_nodes_survives_though_the_other_has_the_oldest_member_and_more_members()
    {
        // The sensor node that outlived every aggregator restart is the oldest member; it decides nothing.
        var (s1, s2, s3, a, b) = (Sensor(0), Sensor(1), Sensor(2), Aggregator(3), Aggregator(4));

        Assert.Equal([s1.Node, s2.Node, s3.Node], Decide(seen: [a, b], unseen: [s1, s2, s3]).Order());
        Assert.Equal([s1.Node, s2.Node, s3.Node], Decide(seen: [s1, s2, s3], unseen: [a, b]).Order());
    }

    [Fact]
    public void A_sensor_node_cut_off_downs_itself_and_is_downed_by_the_aggregators()
    {
        var (a, b, s) = (Aggregator(0), Aggregator(1), Sensor(2));

        Assert.Equal([s.Node], Decide(seen: [a, b], unseen: [s]));
        Assert.Equal([s.Node], Decide(seen: [s], unseen: [a, b]));
    }

    [Fact]
    public void With_as_many_aggregators_and_members_on_each_side_the_oldest_aggregators_side_survives()
    {
        var (s, a, b, t) = (Sensor(0), Aggregator(1), Aggregator(2), Sensor(3));

        Assert.Equal([b.Node, t.Node], Decide(seen: [a, s], unseen: [b, t]).Order());
        Assert.Equal([b.Node, t.Node], Decide(seen: [b, t], unseen: [a, s]).Order());
    }

    [Fact]
    public void Two_aggregators_alone_keep_the_oldest_since_the_survivor_cannot_tell_a_crash_from_its_isolation()
    {
        var (a, b) = (Aggregator(0), Aggregator(1));

        Assert.Equal([b.Node], Decide(seen: [b], unseen: [a]));
        Assert.Equal([b.Node], Decide(seen: [a], unseen: [b]));
    }

    [Fact]
    public void A_joining_member_shares_the_fate_of_its_side()
    {
        var (a, b, s) = (Aggregator(0), Aggregator(1), Sensor(2));
        var joining = Sensor(3) with { Status = MemberStatus.Joining };

        Assert.Equal([a.Node, joining.Node], Decide(seen: [a, joining], unseen: [b, s]).Order());
    }

    [Fact]
    public void Of_indirectly_connected_members_all_but_the_oldest_aggregator_are_downed_first()
    {
        var (a, b, s) = (Aggregator(0) with { IndirectlyConnected = true }, Aggregator(1) with { IndirectlyConnected = true }, Sensor(2));

        Assert.Equal([b.Node], Decide(seen: [a, b, s], unseen: []));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Every_clean_split_leaves_exactly_one_side(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var members = Enumerable.Range(0, random.Next(2, 9))
                .Select(age => random.Next(2) == 0 ? Aggregator(age) : Sensor(age))
                .ToList();
            var split = members.ToLookup(_ => random.Next(2) == 0);
            var (left, right) = (split[true].ToList(), split[false].ToList());
            if (left.Count == 0 || right.Count == 0)
            {
                continue;
            }

            var leftDowns = Decide(seen: left, unseen: right).ToHashSet();
            var rightDowns = Decide(seen: right, unseen: left).ToHashSet();

            // Each side downs one whole side, and both name the same one.
            Assert.True(leftDowns.SetEquals(rightDowns), $"round {round}: the sides disagree");
            Assert.True(leftDowns.SetEquals(left.Select(m => m.Node)) || leftDowns.SetEquals(right.Select(m => m.Node)), $"round {round}: not one whole side");
        }
    }

    private static IReadOnlyList<UniqueAddress> Decide(IEnumerable<PartitionMember> seen, IEnumerable<PartitionMember> unseen) =>
        PartitionDecision.NodesToDown([.. seen.Select(m => m with { Reachable = true }), .. unseen.Select(m => m with { Reachable = false })]);

    private static PartitionMember Aggregator(int age) => Member(age, aggregator: true);

    private static PartitionMember Sensor(int age) => Member(age, aggregator: false);

    private static PartitionMember Member(int age, bool aggregator) =>
        new(new UniqueAddress(new Address("akka.tcp", "actordemo", $"10.0.0.{age + 1}", 4053), age + 1), aggregator, MemberStatus.Up, age, Reachable: true);
}
