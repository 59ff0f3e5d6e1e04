using ActorDemo.Testing;
using ActorDemo.Testing.Routers;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Amqp;
using Xunit;
using Xunit.Abstractions;

namespace ActorDemo.Amqp.Tests.Streams;

public sealed class AmqpSinkSpecs(ITestOutputHelper output) : RouterSpec(output)
{
    private AmqpSinkHandle Run(IEnumerable<string> bodies, AmqpSinkSettings settings) =>
        Source.From(bodies).Select(b => new Message(b)).RunWith(AmqpSink.Create(settings), Materializer);

    /// <summary>
    /// AMQPNetLite settles a dying link's deliveries as rejected with the connection's error, on some
    /// paths before the link reads as closed; those are resent, not counted as the peer's rejections
    /// (a Qpid Dispatch restart once counted 3 of 146 readings rejected).
    /// </summary>
    [Fact]
    public async Task Messages_in_flight_when_qpid_dispatch_is_killed_are_sent_again_not_counted_rejected()
    {
        var port = Loopback.FreePort();
        await using var dispatch = await QpidDispatchFixture.StartAsync(port, QpidDispatchConfig.Standalone(port, Address));
        var holding = await dispatch.ReceiverAsync(Address, credit: 10);
        var (done, metrics) = Run(["21", "22", "23"], new AmqpSinkSettings(dispatch.Endpoint, Address));
        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await holding.ReceiveAsync(Wait));
        }

        await dispatch.RestartAsync();
        var accepting = await dispatch.ReceiverAsync(Address, credit: 10);
        for (var i = 0; i < 3; i++)
        {
            accepting.Accept(await accepting.ReceiveAsync(Wait));
        }

        await done.WaitAsync(Wait);
        Assert.Equal((3, 0), (metrics.Accepted, metrics.Rejected));
    }

    [Fact]
    public async Task A_message_the_receivers_keep_handing_back_goes_again_after_growing_pauses_not_in_a_burst()
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 100);
        var (done, metrics) = Run(["23"], new AmqpSinkSettings(Router.Endpoint, Address));
        var arrivals = new List<long>();

        for (var i = 0; i < 4; i++)
        {
            var message = await receiver.ReceiveAsync(Wait);
            arrivals.Add(System.Diagnostics.Stopwatch.GetTimestamp());
            receiver.Release(message);
        }

        receiver.Accept(await receiver.ReceiveAsync(Wait));
        await done.WaitAsync(Wait);

        // The pauses follow the reconnect backoff (200 ms, 400 ms, 800 ms, less 20 % jitter at most): lower bounds only.
        var pauses = arrivals.Zip(arrivals.Skip(1), (a, b) => System.Diagnostics.Stopwatch.GetElapsedTime(a, b)).ToList();
        Assert.True(pauses[0] >= TimeSpan.FromMilliseconds(150), $"first pause {pauses[0]}");
        Assert.True(pauses[2] >= TimeSpan.FromMilliseconds(600), $"third pause {pauses[2]}");
        Assert.Equal((4, 1), (metrics.Resent, metrics.Accepted));
    }

    [Fact]
    public async Task Many_rejections_in_a_row_are_logged_once_not_a_line_each()
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 100);

        // The first at once; the rest are summed into one line after ten seconds, which this spec does not wait for.
        await EventFilter.Warning(contains: "AMQP peer rejected a message sent to").ExpectOneAsync(async () =>
        {
            var (done, metrics) = Run(Enumerable.Range(0, 30).Select(i => $"bad-{i}"), new AmqpSinkSettings(Router.Endpoint, Address));
            for (var i = 0; i < 30; i++)
            {
                receiver.Reject(await receiver.ReceiveAsync(Wait), new global::Amqp.Framing.Error("amqp:invalid-field") { Description = "not a number" });
            }

            await done.WaitAsync(Wait);
            Assert.Equal(30, metrics.Rejected);
        });
    }

    [Fact]
    public async Task The_sink_completes_only_when_the_peer_has_settled_everything()
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 100, autoRestore: false);
        var done = Run(Enumerable.Range(0, 100).Select(i => i.ToString()), new AmqpSinkSettings(Router.Endpoint, Address)).Completion;

        var received = new List<Message>();
        for (var i = 0; i < 100; i++)
        {
            received.Add(await receiver.ReceiveAsync(Wait));
        }

        Assert.False(done.IsCompleted);
        received.ForEach(receiver.Accept);
        await done.WaitAsync(Wait);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString()), received.Select(m => (string)m.Body));
    }

    [Fact]
    public async Task The_sink_keeps_no_more_than_its_window_in_flight()
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 1000, autoRestore: false);
        var (done, metrics) = Run(Enumerable.Range(0, 100).Select(i => i.ToString()), new AmqpSinkSettings(Router.Endpoint, Address) { MaxInFlight = 8 });

        var received = new List<Message>();
        for (var i = 0; i < 8; i++)
        {
            received.Add(await receiver.ReceiveAsync(Wait));
        }

        Assert.Null(await receiver.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(8, metrics.Sent);

        received.ForEach(receiver.Accept);
        await Eventually.Assert(() => Assert.Equal(16, metrics.Sent));
        Assert.False(done.IsCompleted);
    }

    [Fact]
    public async Task A_rejected_message_is_counted_and_not_sent_again()
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 10);
        var (done, metrics) = Run(["hot", "23"], new AmqpSinkSettings(Router.Endpoint, Address));

        var bad = await receiver.ReceiveAsync(Wait);
        receiver.Reject(bad, new global::Amqp.Framing.Error("amqp:invalid-field") { Description = "not a number" });
        var good = await receiver.ReceiveAsync(Wait);
        receiver.Accept(good);

        await done.WaitAsync(Wait);
        Assert.Equal(1, metrics.Rejected);
        Assert.Equal(1, metrics.Accepted);
        Assert.Equal(2, metrics.Sent);
    }

    [Fact]
    public async Task A_released_message_is_sent_again()
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 10);
        var (done, metrics) = Run(["23"], new AmqpSinkSettings(Router.Endpoint, Address));

        receiver.Release(await receiver.ReceiveAsync(Wait));
        var again = await receiver.ReceiveAsync(Wait);
        Assert.Equal("23", again.Body);
        receiver.Accept(again);

        await done.WaitAsync(Wait);
        Assert.Equal(1, metrics.Resent);
    }

    [Fact]
    public async Task At_most_once_delivers_everything_while_nothing_breaks()
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 500);
        var done = Run(Enumerable.Range(0, 1000).Select(i => i.ToString()), new AmqpSinkSettings(Router.Endpoint, Address) { Delivery = DeliveryMode.AtMostOnce, MaxInFlight = 64 }).Completion;

        var bodies = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            var message = await receiver.ReceiveAsync(Wait);
            Assert.NotNull(message);
            bodies.Add((string)message.Body);
            receiver.Accept(message);
        }

        await done.WaitAsync(Wait);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i.ToString()), bodies);
    }

    [Fact]
    public async Task At_most_once_counts_what_it_sent_presettled_apart_from_the_unsettled_markers()
    {
        var receiver = await Router.ReceiverAsync(Address, credit: 500);
        var (done, metrics) = Run(Enumerable.Range(0, 100).Select(i => i.ToString()), new AmqpSinkSettings(Router.Endpoint, Address) { Delivery = DeliveryMode.AtMostOnce, MaxInFlight = 80 });

        for (var i = 0; i < 100; i++)
        {
            receiver.Accept(await receiver.ReceiveAsync(Wait));
        }

        await done.WaitAsync(Wait);
        // One unsettled marker every MaxInFlight / 8 = 10 sends: 10 markers, 90 pre-settled.
        Assert.Equal(100, metrics.Sent);
        Assert.Equal(90, metrics.Presettled);
    }

    [Fact]
    public async Task An_upstream_failure_fails_the_materialized_task()
    {
        var (probe, done) = this.SourceProbe<Message>()
            .ToMaterialized(AmqpSink.Create(new AmqpSinkSettings(Router.Endpoint, Address)).MapMaterializedValue(sink => sink.Completion), Keep.Both)
            .Run(Materializer);

        probe.SendError(new InvalidOperationException("sensor fleet crashed"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => done.WaitAsync(Wait));
        Assert.Equal("sensor fleet crashed", error.Message);
    }

    [Fact]
    public async Task Wrong_credentials_fail_the_sink_with_a_message_naming_them()
    {
        await using var secured = new EmbeddedRouterFixture(user: "sensor", password: "s3cret");
        var endpoint = AmqpEndpoint.Create(secured.Router.Url, "sensor", "wrong");

        var done = Run(["23"], new AmqpSinkSettings(endpoint, Address)).Completion;

        var error = await Assert.ThrowsAsync<AmqpLinkException>(() => done.WaitAsync(Wait));
        Assert.Contains("credentials", error.Message);
        Assert.Contains("unauthorized-access", error.Message);
    }

    [Fact]
    public async Task An_unreachable_router_is_retried_until_it_appears()
    {
        EmbeddedRouterFixture? late = null;
        try
        {
            var port = Loopback.FreePort();
            var endpoint = AmqpEndpoint.Create($"amqp://127.0.0.1:{port}");
            var (done, metrics) = Run(["23"], new AmqpSinkSettings(endpoint, Address) { Reconnect = new ReconnectSettings(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)) });
            await Eventually.Assert(() => Assert.Equal(LinkStatus.Reconnecting, metrics.State));
            Assert.Contains("connection", metrics.LastError!, StringComparison.OrdinalIgnoreCase);

            late = new EmbeddedRouterFixture(port: port);
            var receiver = await late.ReceiverAsync(Address, credit: 10);
            receiver.Accept(await receiver.ReceiveAsync(Wait));
            await done.WaitAsync(Wait);
        }
        finally
        {
            if (late is not null)
            {
                await late.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("http://localhost:5672", "Url")]
    [InlineData("not a url", "Url")]
    [InlineData("amqp://:secret@localhost", "User")]
    public void An_invalid_endpoint_fails_at_creation_and_names_the_setting(string url, string setting)
    {
        var error = Assert.Throws<AmqpSettingsException>(() => AmqpEndpoint.Create(url));
        Assert.Equal(setting, error.Setting);
    }
}
