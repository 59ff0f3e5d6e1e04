using System.Globalization;
using ActorDemo.Testing;

namespace ActorDemo.Bench.Fleet;

internal static class Reference
{
    /// <summary>
    /// The transport benchmark's figure for our stages, at-least-once, through the fleet's router: what the
    /// fleet's rate is measured against, with the nodes' <paramref name="environment"/> (its processes inherit it).
    /// </summary>
    /// <param name="messages">How many it measures; null leaves the transport benchmark's own default.</param>
    public static async Task RunTransportAsync(string router, int? messages, IReadOnlyDictionary<string, string> environment)
    {
        string[] arguments = ["--only", "stages-at-least-once", "--router", router, .. messages is { } n ? ["--messages", n.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>()];
        Console.WriteLine($"Reference, same run: `ActorDemo.Bench.Transport {string.Join(' ', arguments)}`");
        await using var transport = ExternalProcess.Start(Path.Combine(AppContext.BaseDirectory, "ActorDemo.Bench.Transport"), arguments, environment);
        await transport.WaitForExitAsync(TimeSpan.FromMinutes(20));
        foreach (var line in transport.Lines.Where(l => l.StartsWith('|') || l.StartsWith('-') || l.StartsWith('#')))
        {
            Console.WriteLine(line);
        }
    }
}
