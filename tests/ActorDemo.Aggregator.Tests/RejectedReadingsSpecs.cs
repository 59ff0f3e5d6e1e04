using ActorDemo.Aggregator;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorDemo.Aggregator.Tests;

public sealed class RejectedReadingsSpecs
{
    [Fact]
    public void Every_rejection_is_counted_but_a_flood_logs_one_line()
    {
        var log = new RecordingLogger();
        var rejected = new RejectedReadings(log, "temperature", interval: TimeSpan.FromHours(1));

        for (var i = 0; i < 1000; i++)
        {
            rejected.Record("'hot' is not a number");
        }

        Assert.Equal(1000, rejected.Count);
        var line = Assert.Single(log.Lines);
        Assert.Contains("'hot' is not a number", line);
    }

    [Fact]
    public void After_the_interval_the_next_line_says_how_many_were_rejected_meanwhile()
    {
        var log = new RecordingLogger();
        var rejected = new RejectedReadings(log, "temperature", interval: TimeSpan.Zero);

        rejected.Record("first");
        rejected.Record("second");

        Assert.Equal(2, log.Lines.Count);
        Assert.Contains("second", log.Lines[1]);
    }

    private sealed class RecordingLogger : ILogger<RejectedReadings>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
