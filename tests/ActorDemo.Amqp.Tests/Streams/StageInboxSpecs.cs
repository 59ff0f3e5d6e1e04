using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using Akka.Streams.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Amqp.Tests.Streams;

public sealed class StageInboxSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Items_posted_from_many_threads_all_reach_the_stage_once_each_in_each_threads_order()
    {
        const int Threads = 4;
        const int PerThread = 50_000;
        var (inbox, probe) = Source.FromGraph(new InboxSource())
            .ToMaterialized(this.SinkProbe<(int Thread, int Sequence)>(), Keep.Both)
            .Run(Sys.Materializer());
        probe.Request(Threads * PerThread);

        var posting = Enumerable.Range(0, Threads)
            .Select(thread => Task.Run(() =>
            {
                for (var i = 0; i < PerThread; i++)
                {
                    inbox.Post((thread, i));
                }
            }))
            .ToArray();
        await Task.WhenAll(posting);

        var received = probe.ExpectNextN(Threads * PerThread, Wait);
        foreach (var thread in received.GroupBy(item => item.Thread))
        {
            Assert.Equal(Enumerable.Range(0, PerThread), thread.Select(item => item.Sequence));
        }

        Assert.Equal(Threads, received.Select(item => item.Thread).Distinct().Count());
    }

    [Fact]
    public void An_item_posted_after_the_stage_drained_everything_wakes_it_again()
    {
        var (inbox, probe) = Source.FromGraph(new InboxSource())
            .ToMaterialized(this.SinkProbe<(int Thread, int Sequence)>(), Keep.Both)
            .Run(Sys.Materializer());
        probe.Request(2);

        inbox.Post((0, 1));
        Assert.Equal((0, 1), probe.ExpectNext(Wait));
        inbox.Post((0, 2));
        Assert.Equal((0, 2), probe.ExpectNext(Wait));
    }

    /// <summary>A source that emits what is posted to its inbox, buffering without bound.</summary>
    private sealed class InboxSource : GraphStageWithMaterializedValue<SourceShape<(int, int)>, StageInbox<(int, int)>>
    {
        private readonly Outlet<(int, int)> _out = new("inbox-source.out");

        public override SourceShape<(int, int)> Shape => new(_out);

        protected override Attributes InitialAttributes => Attributes.CreateName("inbox-source");

        public override ILogicAndMaterializedValue<StageInbox<(int, int)>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
        {
            var logic = new Logic(this);
            return new LogicAndMaterializedValue<StageInbox<(int, int)>>(logic, logic.Inbox);
        }

        private sealed class Logic : OutGraphStageLogic
        {
            private readonly Queue<(int, int)> _buffer = new();
            private readonly Outlet<(int, int)> _out;

            public Logic(InboxSource stage)
                : base(stage.Shape)
            {
                _out = stage._out;
                Inbox = new StageInbox<(int, int)>(Arrived, GetAsyncCallback);
                SetHandler(_out, this);
            }

            public StageInbox<(int, int)> Inbox { get; }

            public override void OnPull() => PushIfAny();

            private void Arrived((int, int) item)
            {
                _buffer.Enqueue(item);
                PushIfAny();
            }

            private void PushIfAny()
            {
                if (_buffer.Count > 0 && IsAvailable(_out))
                {
                    Push(_out, _buffer.Dequeue());
                }
            }
        }
    }
}
