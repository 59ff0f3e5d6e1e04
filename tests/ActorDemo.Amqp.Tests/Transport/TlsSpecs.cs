using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Akka.Streams;
using Akka.Streams.TestKit;
using Amqp.Framing;
using Xunit;
using Xunit.Abstractions;
using AmqpMessage = Amqp.Message;

namespace ActorDemo.Amqp.Tests.Transport;

/// <summary>
/// <c>amqps</c> with a private CA, as EnMasse's endpoints and a cluster CA have it: our stages
/// against the embedded router and Qpid Dispatch serving TLS (a Proton client against the embedded
/// router's TLS is among the router's interop specs).
/// </summary>
[Trait("Category", "Reliability")]
public sealed class TlsSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IAsyncLifetime
{
    private const string Address = "temperature";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TestCertificates _certificates = new();
    private TestRouter? _router;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_router is not null)
        {
            await _router.DisposeAsync();
        }

        _certificates.Dispose();
    }

    [Fact]
    public async Task Our_stages_reach_the_embedded_router_over_TLS_when_they_trust_its_CA()
    {
        var router = Started(new EmbeddedRouterFixture(certificates: _certificates));

        await AssertMessagesCrossAsync(AmqpEndpoint.Create($"amqps://localhost:{router.Port}", caFile: _certificates.CaFile));
    }

    [Fact]
    public async Task Our_stages_reach_Qpid_Dispatch_over_TLS_when_they_trust_its_CA()
    {
        var port = Loopback.FreePort();
        Started(await QpidDispatchFixture.StartAsync(port, QpidDispatchConfig.Standalone(port, Address).Replace(
            "listener {",
            $"sslProfile {{\n    name: tls\n    certFile: {_certificates.CertificateFile}\n    privateKeyFile: {_certificates.KeyFile}\n}}\nlistener {{\n    sslProfile: tls\n    requireSsl: yes",
            StringComparison.Ordinal)));

        await AssertMessagesCrossAsync(AmqpEndpoint.Create($"amqps://localhost:{port}", caFile: _certificates.CaFile));
    }

    [Fact]
    public async Task Without_the_CA_the_connection_is_refused_and_the_error_says_to_give_it()
    {
        var router = Started(new EmbeddedRouterFixture(certificates: _certificates));

        var refused = await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(
            () => AmqpEndpoint.Create($"amqps://localhost:{router.Port}").ConnectAsync());

        Assert.Contains("give the CA with AmqpEndpoint.CaFile", refused.Message);
    }

    [Fact]
    public async Task A_certificate_that_does_not_name_the_host_is_refused_even_from_a_trusted_CA()
    {
        var router = Started(new EmbeddedRouterFixture(certificates: _certificates));

        var refused = await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(
            () => AmqpEndpoint.Create($"amqps://127.0.0.1:{router.Port}", caFile: _certificates.CaFile).ConnectAsync());

        Assert.Contains("does not name the host", refused.Message);
    }

    [Fact]
    public void A_CA_file_that_is_not_a_certificate_is_refused_naming_the_setting()
    {
        var notPem = Path.Combine(Path.GetDirectoryName(_certificates.CaFile)!, "not-a-ca.pem");
        File.WriteAllText(notPem, "hello");

        var refused = Assert.Throws<AmqpSettingsException>(() => AmqpEndpoint.Create("amqps://localhost:5671", caFile: notPem));

        Assert.Equal("CaFile", refused.Setting);
    }

    private async Task AssertMessagesCrossAsync(AmqpEndpoint endpoint)
    {
        var materializer = Sys.Materializer();
        var received = AmqpSource.Create(new AmqpSourceSettings(endpoint, Address)).RunWith(this.SinkProbe<ReceivedMessage>(), materializer);
        var sent = this.SourceProbe<AmqpMessage>().ToMaterialized(AmqpSink.Create(new AmqpSinkSettings(endpoint, Address)), Akka.Streams.Dsl.Keep.Left).Run(materializer);

        received.Request(3);
        foreach (var body in new[] { "21.5", "22.5", "23.5" })
        {
            sent.SendNext(new AmqpMessage { BodySection = new AmqpValue { Value = body } });
        }

        var bodies = new List<object>();
        for (var i = 0; i < 3; i++)
        {
            var message = received.ExpectNext(Wait);
            bodies.Add(message.Message.Body);
            message.Accept();
        }

        Assert.Equal(["21.5", "22.5", "23.5"], bodies);
        sent.SendComplete();
        received.Cancel();
    }

    private T Started<T>(T router)
        where T : TestRouter
    {
        _router = router;
        return router;
    }
}
