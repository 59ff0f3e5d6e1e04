using ActorDemo.Amqp.Routing;

namespace ActorDemo.Testing.Routers;

/// <summary>The embedded anycast router on a free loopback port; with certificates it takes TLS too.</summary>
public sealed class EmbeddedRouterFixture : TestRouter
{
    /// <param name="configure">Changes the router's options further (its limits).</param>
    public EmbeddedRouterFixture(string? user = null, string? password = null, int? port = null, TestCertificates? certificates = null, Func<RouterOptions, RouterOptions>? configure = null)
    {
        var options = new RouterOptions
        {
            Port = port ?? Loopback.FreePort(),
            User = user,
            Password = password,
            CertificateFile = certificates?.CertificateFile,
            KeyFile = certificates?.KeyFile,
        };
        Options = configure is null ? options : configure(options);
        Router = new AnycastRouter(Options);
        Router.Start();
    }

    public override string Name => "embedded router";

    public override int Port => Options.Port;

    public RouterOptions Options { get; }

    public AnycastRouter Router { get; private set; }

    protected override string? User => Options.User;

    protected override string? Password => Options.Password;

    public AddressStatistics Stats(string address) =>
        Router.Statistics().SingleOrDefault(s => s.Address == address)
        ?? new AddressStatistics(address, 0, 0, 0, 0, 0, 0);

    public override async Task RestartAsync(Func<Task>? whileDown = null)
    {
        await Router.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        Router = new AnycastRouter(Options);
        Router.Start();
    }

    protected override ValueTask StopAsync() => Router.DisposeAsync();
}
