namespace ActorDemo.Testing;

/// <summary>Waits on a condition, never on a fixed sleep: the TestKit AwaitAssert for code without actors.</summary>
public static class Eventually
{
    public static async Task Assert(Action assertion, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }
}
