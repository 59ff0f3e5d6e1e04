using ActorDemo.Readings;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorDemo.Aggregator.Tests;

public sealed class RejectedReadingsSpecs
{
    [Fact]
    public void Every_rejection_is_counted_but_a_flood_logs_one_line()
    {
        var log = new RecordingLogger();
        using var rejected = new RejectedReadings(log, "temperature", interval: TimeSpan.FromHours(1));

        for (var i = 0; i < 1000; i++)
        {
            rejected.Record(RejectReason.Format, "'hot' is not a number");
        }

        Assert.Equal(1000, rejected.CountOf(RejectReason.Format));
        var line = Assert.Single(log.Lines);
        Assert.Contains("'hot' is not a number", line);
    }

    [Fact]
    public void After_the_interval_the_next_line_says_how_many_were_rejected_meanwhile()
    {
        var log = new RecordingLogger();
        using var rejected = new RejectedReadings(log, "temperature", interval: TimeSpan.Zero);

        rejected.Record(RejectReason.Format, "first");
        rejected.Record(RejectReason.Format, "second");

        Assert.Equal(2, log.Lines.Count);
        Assert.Contains("second", log.Lines[1]);
    }

    [Fact]
    public async Task Rejections_held_back_are_reported_at_the_end_of_the_interval_though_no_more_come()
    {
        var log = new RecordingLogger();
        using var rejected = new RejectedReadings(log, "temperature", interval: TimeSpan.FromMilliseconds(100));

        rejected.Record(RejectReason.Format, "first");
        rejected.Record(RejectReason.Format, "second");
        rejected.Record(RejectReason.Format, "third");

        await ActorDemo.Testing.Eventually.Assert(() => Assert.Equal(2, log.Lines.Count), TimeSpan.FromSeconds(5));
        Assert.Contains("Rejected 2 messages", log.Lines[1]);
        Assert.Contains("third", log.Lines[1]);
    }

    private sealed class RecordingLogger : ILogger<RejectedReadings>
    {
        private readonly List<string> _lines = [];

        public List<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }
}
