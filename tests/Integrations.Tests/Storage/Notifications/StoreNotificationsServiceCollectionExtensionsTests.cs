using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Storage.Notifications;
using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Storage.Notifications;

public sealed class StoreNotificationsServiceCollectionExtensionsTests
{
    [Fact]
    public void AddStoreWakeup_InboxOutboxAndWebChatEachAddedTwice_OneListenerOneHealthEntryAndEveryChannel()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(Path.GetTempPath()));
        services.AddLogging();
        services.AddChatInbox<NullRunner>().AddChatInbox<NullRunner>().AddWebChat().AddWebChat();
        using var provider = services.BuildServiceProvider();

        var listeners = provider.GetServices<IHostedService>().OfType<StoreListener>();
        var channels = provider.GetServices<StoreWakeup>().Select(w => w.Channel).Distinct().Order(StringComparer.Ordinal);
        var health = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Where(r => r.Name == "state-store-listener");

        Assert.Single(listeners);
        Assert.Equal([InboxStore.NotifyChannel, OutboxStore.NotifyChannel, WebChatStore.NotifyChannel], channels);
        Assert.Single(health);
    }

    private sealed class NullRunner : IQueueHandler<string, InboxItem>
    {
        public Task HandleAsync(InboxItem work, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
