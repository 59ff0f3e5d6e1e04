namespace ActorDemo.Testing;

/// <summary>Waits on a condition, never on a fixed sleep: the TestKit AwaitAssert for code without actors.</summary>
public static class Eventually
{
    public static Task Assert(Action assertion, TimeSpan? within = null) =>
        Assert(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, within);

    public static async Task Assert(Func<Task> assertion, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }
}
