using ActorDemo.Readings;
using Xunit;

namespace ActorDemo.Aggregator.Tests;

public sealed class RecentReadingsSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 7, 40, 0, TimeSpan.Zero);
    private readonly RecentReadings _recent = new();

    private bool IsNew(string device, long seq) => _recent.IsNew(new TemperatureReading(device, 21, T0, seq));

    [Fact]
    public void A_reading_seen_before_is_a_duplicate() =>
        Assert.Equal([true, true, false], [IsNew("a", 1), IsNew("a", 2), IsNew("a", 1)]);

    [Fact]
    public void Readings_out_of_order_are_new_the_first_time() =>
        Assert.Equal([true, true, true, false], [IsNew("a", 5), IsNew("a", 3), IsNew("a", 4), IsNew("a", 3)]);

    [Fact]
    public void Each_device_has_its_own_numbers() =>
        Assert.Equal([true, true], [IsNew("a", 1), IsNew("b", 1)]);

    [Fact]
    public void A_sequence_that_starts_again_far_below_is_a_restarted_sensor() =>
        Assert.Equal([true, true, true, false], [IsNew("a", 1000), IsNew("a", 0), IsNew("a", 1), IsNew("a", 0)]);

    [Fact]
    public void Readings_without_a_device_id_are_never_duplicates() =>
        Assert.Equal([true, true], [IsNew(TemperatureReading.UnknownDevice, 0), IsNew(TemperatureReading.UnknownDevice, 0)]);

    [Fact]
    public void However_many_device_ids_arrive_no_more_than_the_capacity_are_remembered()
    {
        var recent = new RecentReadings(capacity: 100);

        for (var i = 0; i < 10_000; i++)
        {
            recent.IsNew(new TemperatureReading($"device-{i}", 21, T0, 1));
        }

        Assert.InRange(recent.Count, 1, 100);
    }

    [Fact]
    public void A_device_that_keeps_sending_is_remembered_while_others_come_and_go()
    {
        var recent = new RecentReadings(capacity: 100);
        recent.IsNew(new TemperatureReading("steady", 21, T0, 1));

        for (var i = 0; i < 1_000; i++)
        {
            recent.IsNew(new TemperatureReading($"passing-{i}", 21, T0, 1));
            if (i % 40 == 0)
            {
                recent.IsNew(new TemperatureReading("steady", 21, T0, 2 + (i / 40)));
            }
        }

        Assert.False(recent.IsNew(new TemperatureReading("steady", 21, T0, 2 + (960 / 40))));
    }
}
