using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Amqp;
using Xunit;

namespace ActorDemo.Amqp.Tests.Package;

/// <summary>
/// samples/AmqpReader, built by test.sh from the ActorDemo.Amqp package alone (dotnet pack into
/// artifacts/packages), run as a user runs it against a router.
/// </summary>
public sealed class SampleSpecs : IAsyncLifetime
{
    private readonly EmbeddedRouterFixture _router = new();
    private ExternalProcess? _reader;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }

        await _router.DisposeAsync();
    }

    [Fact]
    public async Task The_sample_built_from_the_package_reads_every_message_sent_to_its_address()
    {
        var sample = Path.Combine(BuiltExecutables.RepositoryRoot, "samples", "AmqpReader", "bin", "Debug", "net10.0", "AmqpReader");
        _reader = ExternalProcess.Start(sample, _router.Url, "greetings");
        await Eventually.Assert(() => Assert.Equal(1, _router.Stats("greetings").Consumers), TimeSpan.FromSeconds(30));

        var sender = await _router.SenderAsync("greetings");
        foreach (var text in new[] { "one", "two", "three" })
        {
            await sender.SendAsync(new Message(System.Text.Encoding.UTF8.GetBytes(text)));
        }

        await _reader.WaitForLineAsync(_ => new[] { "one", "two", "three" }.All(_reader.Lines.Contains), TimeSpan.FromSeconds(30));
    }
}
