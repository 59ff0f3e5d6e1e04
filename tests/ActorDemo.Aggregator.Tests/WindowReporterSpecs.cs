using ActorDemo.Shared.Amqp;
using ActorDemo.Shared.Readings;
using ActorDemo.Testing;
using Akka.Streams.Dsl;
using Amqp.Framing;
using Xunit;
using Xunit.Abstractions;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator.Tests;

/// <summary>The reporter with real deliveries: readings sent through a real router, held unsettled by the reporter.</summary>
public sealed class WindowReporterSpecs(ITestOutputHelper output) : RouterSpec(output)
{
    private static readonly WindowInterval Interval = WindowInterval.Containing(new DateTimeOffset(2026, 11, 25, 7, 40, 5, TimeSpan.Zero), TimeSpan.FromSeconds(5));
    private static readonly Address Node = new("akka.tcp", "actordemo", "127.0.0.1", 4053);

    [Fact]
    public async Task A_windows_readings_are_accepted_only_once_the_singleton_says_it_recorded_the_window()
    {
        var (outcomes, window) = await TwoReadingsInAWindow();
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node));

        reporter.Tell(window);
        var partial = singleton.ExpectMsg<PartialWindow>();
        Assert.Equal((Node, Interval.Index, 2, 23.0), (partial.Node, partial.Interval, partial.Count, partial.Max));
        Assert.All(window.Deliveries, d => Assert.False(d.IsSettled));

        reporter.Tell(new PartialRecorded(Interval.Index), singleton);

        Assert.All(await Task.WhenAll(outcomes).WaitAsync(Wait), o => Assert.IsType<Accepted>(o));
    }

    [Fact]
    public async Task A_partial_is_sent_again_until_it_is_recorded()
    {
        var (_, window) = await TwoReadingsInAWindow();
        var singleton = CreateTestProbe();
        var reporter = Sys.ActorOf(WindowReporter.Props(singleton, Node, TimeSpan.FromMilliseconds(100)));

        reporter.Tell(window);
        singleton.ExpectMsg<PartialWindow>();
        singleton.ExpectMsg<PartialWindow>();
        reporter.Tell(new PartialRecorded(Interval.Index));
        reporter.Tell(WindowReporterProtocol.Drain.Instance);

        ExpectMsg<WindowReporterProtocol.Drained>();
    }

    /// <summary>Two readings sent through the router and taken, unsettled, by a source: a window's deliveries.</summary>
    private async Task<(IReadOnlyList<Task<Amqp.Framing.Outcome>> Outcomes, ClosedWindow Window)> TwoReadingsInAWindow()
    {
        // The source keeps running, so its link stays attached while the reporter holds the deliveries.
        var received = CreateTestProbe();
        AmqpSource.Create(new AmqpSourceSettings(Router.Endpoint, Address)).RunWith(Sink.ActorRef<ReceivedMessage>(received, "done", _ => "failed"), Materializer);
        var sender = await Router.SenderAsync(Address);
        var outcomes = new[] { sender.SendWithOutcome("21"), sender.SendWithOutcome("23") };
        var deliveries = new[] { received.ExpectMsg<ReceivedMessage>(Wait), received.ExpectMsg<ReceivedMessage>(Wait) };
        return (outcomes, new ClosedWindow(Interval, new ReadingMaximum(23, TemperatureReading.UnknownDevice), 2, 0, deliveries, Interval.End));
    }
}
