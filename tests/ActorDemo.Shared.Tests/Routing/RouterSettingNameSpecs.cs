using ActorDemo.Amqp;
using ActorDemo.Amqp.Routing;
using Xunit;

namespace ActorDemo.Shared.Tests.Routing;

/// <summary>The router's messages name its settings as the host that sets them says.</summary>
public sealed class RouterSettingNameSpecs
{
    [Fact]
    public void The_router_names_its_settings_as_the_host_names_them()
    {
        var options = new RouterOptions { CertificateFile = "router.pem", SettingName = property => $"<{property}>" };

        var error = Assert.Throws<AmqpSettingsException>(() => options.LoadCertificate());

        Assert.Equal(nameof(RouterOptions.CertificateFile), error.Setting);
        Assert.Contains("<CertificateFile> and <KeyFile>", error.Problem);
    }
}
