using System.Collections.Immutable;
using ActorDemo.Aggregator;
using ActorDemo.Shared.Readings;
using Xunit;
using Xunit.Abstractions;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator.Tests;

public sealed class AggregatorActorSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit("akka.actor.provider = cluster\nakka.remote.dot-netty.tcp.port = 0", output)
{
    private static readonly TimeSpan Length = TimeSpan.FromSeconds(5);
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 7, 40, 0, TimeSpan.Zero);
    private static readonly Address NodeA = new("akka.tcp", "actordemo", "10.0.0.1", 4053);
    private static readonly Address NodeB = new("akka.tcp", "actordemo", "10.0.0.2", 4053);

    private static WindowMaximum Window(int index, double max, string device = "sensor-n1-0003", int count = 50) =>
        new(T0 + (Length * index), T0 + (Length * (index + 1)), max, device, count, ImmutableDictionary<string, double>.Empty.Add(device, max));

    [Fact]
    public void It_keeps_the_latest_window_of_each_node()
    {
        var aggregator = Sys.ActorOf(AggregatorActor.Props(10, Length));

        aggregator.Tell(new WindowClosed(NodeA, Window(0, 21)));
        aggregator.Tell(new WindowClosed(NodeB, Window(0, 23)));
        aggregator.Tell(new WindowClosed(NodeA, Window(1, 22)));
        aggregator.Tell(GetSummary.Instance);

        var latest = ExpectMsg<Summary>().LatestPerNode.ToDictionary(w => w.Node, w => w.Window.Max);
        Assert.Equal(new Dictionary<Address, double> { [NodeA] = 22, [NodeB] = 23 }, latest);
    }

    [Fact]
    public void The_recent_maximum_is_the_highest_of_the_latest_window_length_across_nodes()
    {
        var aggregator = Sys.ActorOf(AggregatorActor.Props(10, Length));

        aggregator.Tell(new WindowClosed(NodeA, Window(0, 30, "sensor-old")));
        aggregator.Tell(new WindowClosed(NodeA, Window(1, 22, "sensor-a")));
        aggregator.Tell(new WindowClosed(NodeB, Window(1, 24, "sensor-b")));
        aggregator.Tell(GetSummary.Instance);

        var summary = ExpectMsg<Summary>();
        Assert.Equal("sensor-b", summary.RecentMaximum?.Window.DeviceId);
        Assert.Equal(NodeB, summary.RecentMaximum?.Node);
        Assert.Equal(3, summary.Windows);
    }

    [Fact]
    public void The_history_keeps_only_the_configured_number_of_windows_newest_last()
    {
        var aggregator = Sys.ActorOf(AggregatorActor.Props(3, Length));

        for (var i = 0; i < 10; i++)
        {
            aggregator.Tell(new WindowClosed(NodeA, Window(i, 20 + i)));
        }

        aggregator.Tell(new GetHistory(100));
        Assert.Equal([27.0, 28, 29], ExpectMsg<History>().Windows.Select(w => w.Window.Max));
        aggregator.Tell(new GetHistory(1));
        Assert.Equal([29.0], ExpectMsg<History>().Windows.Select(w => w.Window.Max));
    }

    [Fact]
    public void Subscribers_are_told_every_window_recorded()
    {
        var aggregator = Sys.ActorOf(AggregatorActor.Props(3, Length));
        var subscriber = CreateTestProbe();
        aggregator.Tell(new SubscribeWindows(subscriber));

        aggregator.Tell(new WindowClosed(NodeA, Window(0, 21)));
        aggregator.Tell(new WindowClosed(NodeB, Window(0, 22)));

        Assert.Equal(21, subscriber.ExpectMsg<WindowRecorded>().Window.Window.Max);
        Assert.Equal(NodeB, subscriber.ExpectMsg<WindowRecorded>().Window.Node);
    }

    [Fact]
    public void It_logs_one_line_per_window()
    {
        var aggregator = Sys.ActorOf(AggregatorActor.Props(3, Length));
        var window = Window(1, 24, "sensor-n1-3");

        EventFilter.Info(contains: "max 24.0 °C (sensor-n1-3)  50 readings").ExpectOne(() => aggregator.Tell(new WindowClosed(NodeA, window)));
    }

    [Fact]
    public void The_log_line_reads_like_the_design_card() =>
        Assert.Matches(@"^\d\d:\d\d:05-\d\d:\d\d:10  max 24\.0 °C \(sensor-n1-3\)  50 readings$", AggregatorActor.Describe(Window(1, 24, "sensor-n1-3")));
}
