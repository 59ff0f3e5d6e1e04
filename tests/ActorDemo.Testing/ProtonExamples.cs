namespace ActorDemo.Testing;

/// <summary>
/// Apache Qpid Proton's C example programs (Debian libqpid-proton11-dev-examples: broker, send,
/// receive), built once per machine with gcc into the temp folder: AMQP peers that no one here wrote.
/// </summary>
public static class ProtonExamples
{
    private const string Sources = "/usr/share/proton/examples/c";

    /// <summary>The path of the example <paramref name="name"/> (<c>broker</c>, <c>send</c>, <c>receive</c>), built if needed.</summary>
    public static async Task<string> BuildAsync(string name)
    {
        var binary = Path.Combine(Path.GetTempPath(), $"actordemo-proton-{name}");
        if (File.Exists(binary))
        {
            return binary;
        }

        var source = Path.Combine(Sources, $"{name}.c");
        if (!File.Exists(source))
        {
            throw new InvalidOperationException($"{source} is missing; run ./test.sh once (it installs libqpid-proton11-dev-examples).");
        }

        // Several test processes may build at once: each into a file of its own, then moved into place.
        var building = $"{binary}.{Environment.ProcessId}";
        await using var gcc = ExternalProcess.Start("/usr/bin/gcc", "-O2", "-o", building, source, $"-I{Sources}", "-lqpid-proton", "-lpthread");
        if (await gcc.WaitForExitAsync(TimeSpan.FromMinutes(2)) != 0)
        {
            throw new InvalidOperationException($"gcc could not build the Proton example {name}:\n{string.Join('\n', gcc.Lines)}");
        }

        File.Move(building, binary, overwrite: true);
        return binary;
    }
}
