using System.Globalization;

namespace ActorDemo.Testing;

/// <summary>A process's wall clock set off with libfaketime (Debian's <c>faketime</c>); its monotonic clock stays true.</summary>
public static class FakeClock
{
    /// <param name="offset">How far the process's clock is set ahead (positive) or back (negative).</param>
    public static Dictionary<string, string> Environment(TimeSpan offset)
    {
        var library = Directory.EnumerateFiles("/usr/lib", "libfaketime.so.1", SearchOption.AllDirectories).FirstOrDefault()
            ?? throw new InvalidOperationException("libfaketime is not installed (apt-get install faketime; ./test.sh does it as root).");
        return new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = library,
            ["FAKETIME"] = offset.TotalSeconds.ToString("+0.###;-0.###", CultureInfo.InvariantCulture),
            ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1",
        };
    }
}
