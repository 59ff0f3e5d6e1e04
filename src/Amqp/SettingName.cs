namespace ActorDemo.Amqp;

/// <summary>
/// How the library's messages name a setting. By default they name its property
/// (<c>AmqpEndpoint.CaFile</c>); a host that takes the settings from flags or configuration keys of
/// its own passes one that names them as its users type them (<c>--amqp-ca-file</c>).
/// </summary>
/// <param name="property">The property or parameter of the settings: <c>Url</c>, <c>User</c>, <c>CaFile</c>, <c>Port</c>, ...</param>
public delegate string SettingName(string property);
