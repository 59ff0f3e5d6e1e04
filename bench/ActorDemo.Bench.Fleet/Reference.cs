using System.Globalization;
using ActorDemo.Testing;

namespace ActorDemo.Bench.Fleet;

internal static class Reference
{
    /// <summary>
    /// The transport benchmark's figure for our stages, at-least-once, through the fleet's router: what the
    /// fleet's rate is measured against, with the nodes' <paramref name="environment"/> (its processes inherit it).
    /// </summary>
    public static async Task RunTransportAsync(string router, int messages, IReadOnlyDictionary<string, string> environment)
    {
        await using var transport = ExternalProcess.Start(
            Path.Combine(AppContext.BaseDirectory, "ActorDemo.Bench.Transport"),
            ["--only", "stages-at-least-once", "--router", router, "--messages", messages.ToString(CultureInfo.InvariantCulture)],
            environment);
        await transport.WaitForExitAsync(TimeSpan.FromMinutes(20));
        foreach (var line in transport.Lines.Where(l => l.StartsWith('|') || l.StartsWith('-') || l.StartsWith('#')))
        {
            Console.WriteLine(line);
        }
    }
}
