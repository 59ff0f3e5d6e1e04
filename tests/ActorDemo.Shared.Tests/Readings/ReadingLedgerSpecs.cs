using ActorDemo.Readings;
using Xunit;

namespace ActorDemo.Shared.Tests.Readings;

public sealed class ReadingLedgerSpecs : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"actordemo-ledger-{Guid.NewGuid():N}.ledger");

    [Fact]
    public async Task Counted_readings_are_in_the_file_with_their_timestamps_when_the_call_returns_before_the_share_can_leave()
    {
        await using var ledger = new ReadingLedger(_path);
        var taken = Taken.ToUnixTimeMilliseconds();

        ledger.Node("akka.tcp://actordemo@10.0.0.2:4053");
        ledger.Counted(7, [Reading("sensor-a-0001", 3, 21.5), Reading("sensor-a-0002", 3, 22.25)]);

        Assert.Equal(
            ["node\takka.tcp://actordemo@10.0.0.2:4053", $"counted\t7\tsensor-a-0001\t3\t21.5\t{taken}", $"counted\t7\tsensor-a-0002\t3\t22.25\t{taken}"],
            ReadWhileOpen());
    }

    [Fact]
    public async Task Accepted_messages_are_written_as_their_readings_identity_by_the_time_the_ledger_is_disposed()
    {
        var ledger = new ReadingLedger(_path);

        ledger.Accepted(ReadingCodec.Encode(Reading("sensor-b-0042", 17, 20)));
        ledger.Accepted(ReadingCodec.Encode(Reading("sensor-b-0043", 18, 20)));
        await ledger.DisposeAsync();

        Assert.Equal(["accepted\tsensor-b-0042\t17", "accepted\tsensor-b-0043\t18"], File.ReadAllLines(_path));
    }

    [Fact]
    public async Task An_emitted_window_names_its_start_incarnation_maximum_and_each_nodes_count()
    {
        await using var ledger = new ReadingLedger(_path);
        var start = new DateTimeOffset(2026, 12, 3, 7, 0, 5, TimeSpan.Zero);

        ledger.Emitted(42, new WindowMaximum(start, start.AddSeconds(5), 23.9, "sensor-a-0019", 30, 2, 9), [("akka.tcp://actordemo@a:4053", 10), ("akka.tcp://actordemo@b:4053", 20)]);

        Assert.Equal(
            [$"emitted\t42\t{start.ToUnixTimeMilliseconds()}\t9\t23.9\tsensor-a-0019\takka.tcp://actordemo@a:4053=10|akka.tcp://actordemo@b:4053=20"],
            ReadWhileOpen());
    }

    [Fact]
    public async Task A_share_carried_from_a_previous_run_says_how_many_of_its_readings_come_first()
    {
        await using var ledger = new ReadingLedger(_path);

        ledger.Carried(7, 12);

        Assert.Equal(["carried\t7\t12"], ReadWhileOpen());
    }

    public void Dispose() => File.Delete(_path);

    private static readonly DateTimeOffset Taken = new(2026, 12, 3, 7, 0, 6, 250, TimeSpan.Zero);

    private static TemperatureReading Reading(string device, long seq, double temperature) => new(device, temperature, Taken, seq);

    private string[] ReadWhileOpen()
    {
        using var reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
