using ActorDemo.Amqp;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

// dotnet run --project samples/AmqpReader -- amqp://localhost:5672 temperature
var (url, address) = args is [var u, var a] ? (u, a) : ("amqp://localhost:5672", "temperature");
using var system = ActorSystem.Create("amqp-reader");
await AmqpSource.Create(new AmqpSourceSettings(AmqpEndpoint.Create(url), address))
    .RunForeach(message =>
    {
        Console.WriteLine(message.Message.Body is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : message.Message.Body);
        message.Accept();
    }, system.Materializer());
