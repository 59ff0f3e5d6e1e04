using System.Text.Json;
using System.Text.Json.Serialization;
using ActorDemo.Amqp;
using Akka.Streams;
using Akka.Streams.Dsl;
using Amqp.Framing;

namespace ActorDemo.Testing;

/// <summary>
/// The window maxima the aggregators send to the address <c>max</c>, read as any consumer of it would:
/// a window sent again as it was (by the next singleton, when the previous one's node died in the
/// instant after sending it) is kept once and counted in <see cref="Repeated"/>.
/// </summary>
public sealed class WindowMaxima
{
    private readonly List<WindowOnWire> _windows = [];
    private readonly List<DateTimeOffset> _arrivals = [];
    private int _repeated;

    private WindowMaxima()
    {
    }

    public IReadOnlyList<WindowOnWire> Windows
    {
        get
        {
            lock (_windows)
            {
                return [.. _windows];
            }
        }
    }

    /// <summary>When each window of <see cref="Windows"/> was read, in the same order.</summary>
    public IReadOnlyList<DateTimeOffset> Arrivals
    {
        get
        {
            lock (_windows)
            {
                return [.. _arrivals];
            }
        }
    }

    /// <summary>Windows that came again, identical to one read before.</summary>
    public int Repeated => Volatile.Read(ref _repeated);

    /// <summary>Readings counted in all windows read so far.</summary>
    public long Counted => Windows.Sum(w => (long)w.Count);

    /// <param name="address">Where the aggregators send the maxima (<c>--max-address</c>).</param>
    public static WindowMaxima Read(string routerUrl, IMaterializer materializer, string address = "max")
    {
        var maxima = new WindowMaxima();
        AmqpSource.Create(new AmqpSourceSettings(AmqpEndpoint.Create(routerUrl), address))
            .RunForeach(
                message =>
                {
                    var window = JsonSerializer.Deserialize<WindowOnWire>(((Data)message.Message.BodySection).Binary)!;
                    message.Accept();
                    lock (maxima._windows)
                    {
                        if (maxima._windows.Contains(window))
                        {
                            maxima._repeated++;
                            return;
                        }

                        maxima._windows.Add(window);
                        maxima._arrivals.Add(DateTimeOffset.UtcNow);
                    }
                },
                materializer);
        return maxima;
    }
}

public sealed record WindowOnWire(
    [property: JsonPropertyName("window-start")] DateTimeOffset WindowStart,
    [property: JsonPropertyName("window-end")] DateTimeOffset WindowEnd,
    [property: JsonPropertyName("max")] double Max,
    [property: JsonPropertyName("device-id")] string DeviceId,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("incarnation")] long Incarnation)
{
    /// <summary>
    /// What a sensor started with <c>--steady-temperature <paramref name="steady"/></c> reads: a
    /// tenth more per index, every hundred devices over. A window may hold only some devices' readings,
    /// but its maximum is always one of these.
    /// </summary>
    public static double SteadyReading(string deviceId, double steady) => Math.Round(steady + (int.Parse(deviceId.Split('-')[^1]) % 100 / 10.0), 1);
}
