using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.TestCommon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Chat.Inbox;

public sealed class InboxServiceCollectionExtensionsTests
{
    [Fact]
    public void AddChatInbox_CalledTwice_OneInboxAndOneWorkerEachForTheInboxAndTheOutbox()
    {
        using var provider = Services([], twice: true);

        var workers = provider.GetServices<IHostedService>().ToList();

        Assert.Single(workers.OfType<QueueWorker<string, InboxItem>>());
        Assert.Single(workers.OfType<QueueWorker<ChatDestination, OutboxWork>>());
        Assert.Same(provider.GetRequiredService<ChatInbox>(), provider.GetRequiredService<IChatInbox>());
    }

    [Fact]
    public void AddChatInbox_Settings_ComeFromTheInboundSection()
    {
        using var provider = Services(new() { ["Inbound:Parallelism"] = "3", ["Inbound:Paused"] = "true" });

        var settings = InboxServiceCollectionExtensions.Settings(provider.GetRequiredService<IOptions<InboxOptions>>().Value);

        Assert.Equal(("inbox", 3, true), (settings.Name, settings.MaxLanes, settings.Paused));
        Assert.Equal(Timeout.InfiniteTimeSpan, settings.ClaimLease);
    }

    [Fact]
    public void AddChatInbox_InvalidOptions_FailsAtStart()
    {
        using var provider = Services(new() { ["Inbound:Parallelism"] = "0" });

        var failure = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.Contains("Parallelism", failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, bool twice = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(Path.GetTempPath()));
        services.AddLogging();
        services.AddChatInbox<NullRunner>();
        if (twice)
        {
            services.AddChatInbox<NullRunner>();
        }

        return services.BuildServiceProvider();
    }

    private sealed class NullRunner : IQueueHandler<string, InboxItem>
    {
        public Task HandleAsync(InboxItem work, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
