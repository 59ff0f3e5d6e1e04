using Xunit;

namespace ActorDemo.Amqp.Tests.Transport;

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
}
