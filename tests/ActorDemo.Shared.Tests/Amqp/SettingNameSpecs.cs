using ActorDemo.Amqp;
using ActorDemo.Amqp.Routing;
using Xunit;

namespace ActorDemo.Shared.Tests.Amqp;

/// <summary>The library's messages name a setting as its own types do, or as the host that sets it says.</summary>
public sealed class SettingNameSpecs
{
    [Fact]
    public void A_bad_setting_is_named_by_the_librarys_types_by_default()
    {
        var error = Assert.Throws<AmqpSettingsException>(() => AmqpEndpoint.Create("amqp://router:5672/temperature"));

        Assert.Equal("Url", error.Setting);
        Assert.Contains("the link settings' Address", error.Problem);
    }

    [Fact]
    public void A_bad_setting_is_named_as_the_host_names_it()
    {
        var error = Assert.Throws<AmqpSettingsException>(() => AmqpEndpoint.Create("amqp://router:5672/temperature", settingName: property => $"--{property.ToLowerInvariant()}"));

        Assert.Contains("(--address)", error.Problem);
    }

    [Fact]
    public void The_router_names_its_settings_as_the_host_names_them()
    {
        var options = new RouterOptions { CertificateFile = "router.pem", SettingName = property => $"<{property}>" };

        var error = Assert.Throws<AmqpSettingsException>(() => options.LoadCertificate());

        Assert.Equal(nameof(RouterOptions.CertificateFile), error.Setting);
        Assert.Contains("<CertificateFile> and <KeyFile>", error.Problem);
    }
}
