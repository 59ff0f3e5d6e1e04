using System.Net;
using ActorDemo.Amqp.Routing;
using Xunit;

namespace ActorDemo.Shared.Tests.Routing;

/// <summary>
/// Which peers a TLS-enabled embedded router lets in without TLS: those on its own machine. The
/// socket path is covered by <c>TlsSpecs</c> on loopback; another machine cannot be had in a test
/// on one, so the rule is specified here on the addresses a connection reports.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RouterPortSpecs
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.5", "10.0.0.1", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("::ffff:127.0.0.1", "::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", "10.0.0.1", true)]
    [InlineData("::ffff:10.0.0.1", "10.0.0.1", true)]
    [InlineData("10.0.0.5", "10.0.0.1", false)]
    [InlineData("::ffff:192.0.2.9", "::ffff:10.0.0.1", false)]
    public void Plain_AMQP_is_taken_only_from_a_peer_on_this_machine(string remote, string local, bool taken) =>
        Assert.Equal(taken, RouterPort.FromThisMachine(IPAddress.Parse(remote), IPAddress.Parse(local)));
}
