namespace ChatOps.Bot.FunctionalTests.Infrastructure;

/// <summary>A test class with its own in-memory host (and temporary state), disposed after its tests.</summary>
public abstract class HostTest(BotFactory factory) : IAsyncLifetime
{
    protected HostTest()
        : this(new BotFactory())
    {
    }

    protected BotFactory Factory { get; } = factory;

    protected ChatApi Chat { get; private set; } = null!;

    public virtual ValueTask InitializeAsync()
    {
        Chat = Factory.Chat;
        return ValueTask.CompletedTask;
    }

    public virtual ValueTask DisposeAsync() => Factory.DisposeAsync();
}
