using System.Diagnostics;
using ActorDemo.Aggregator;
using ActorDemo.Node.Inspection;
using Xunit;

namespace ActorDemo.Hosting.Tests;

/// <summary>The script of <c>cmd completion bash</c>, sourced by a real bash and asked as bash asks it on Tab.</summary>
public sealed class CommandCompletionSpecs
{
    [Fact]
    public async Task After_cmd_it_offers_the_first_words_of_the_commands()
    {
        var offered = await Complete("ActorDemo.Aggregator", "cmd", "");

        Assert.Equal(["--json", "--token", "actor", "amqp", "cluster", "completion", "help", "sensors", "windows"], offered.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task After_a_first_word_it_offers_that_commands_next_words()
    {
        var offered = await Complete("ActorDemo.Sensors", "cmd", "cluster", "");

        Assert.Equal(["--json", "--token", "down", "down-unreachable", "join", "leave", "show", "tail"], offered.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_endpoint_and_flags_before_the_command_are_passed_over()
    {
        var offered = await Complete("ActorDemo.Aggregator", "cmd", "10.0.0.7:9110", "--token", "secret", "--json", "win");

        Assert.Equal(["windows"], offered);
    }

    [Fact]
    public async Task A_whole_command_gets_nothing_more_than_the_flags()
    {
        var offered = await Complete("ActorDemo.Aggregator", "cmd", "windows", "show", "");

        Assert.Equal(["--json", "--token"], offered.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_nodes_own_flags_are_not_completed_by_it() =>
        Assert.Empty(await Complete("ActorDemo.Aggregator", "--sen"));

    [Fact]
    public async Task Completion_for_another_shell_is_refused_with_the_usage()
    {
        var errors = new StringWriter();

        Assert.Equal(2, await InspectionClient.RunAsync(["completion", "bash", "zsh"], AggregatorExecutable.Definition.Commands, TextWriter.Null, errors, TestContext.Current.CancellationToken));
        Assert.Contains("cmd [HOST:PORT] completion bash", errors.ToString());
    }

    /// <summary>What Tab offers for the last of <paramref name="words"/>, the word being typed.</summary>
    private static async Task<IReadOnlyList<string>> Complete(params string[] words)
    {
        var script = new StringWriter();
        Assert.Equal(0, await InspectionClient.RunAsync(["completion", "bash"], AggregatorExecutable.Definition.Commands, script, TextWriter.Null, TestContext.Current.CancellationToken));
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, script.ToString(), TestContext.Current.CancellationToken);
            var quoted = string.Join(' ', words.Select(word => $"'{word}'"));
            var start = new ProcessStartInfo("/bin/bash", ["-c", $"source '{file}'; COMP_WORDS=({quoted}); COMP_CWORD={words.Length - 1}; _actordemo_cmd; printf '%s\\n' \"${{COMPREPLY[@]}}\""])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var bash = Process.Start(start)!;
            var output = await bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = await bash.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await bash.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(bash.ExitCode == 0, errors);
            Assert.Empty(errors);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
