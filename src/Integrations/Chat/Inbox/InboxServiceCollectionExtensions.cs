using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Metrics;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Storage.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Inbox;

public static class InboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IChatInbox"/> (<c>Inbound:*</c>), its store and the worker that hands kept deliveries to
    /// <typeparamref name="THandler"/>, the host's side: it waits for the host to be ready, closes deliveries a stopped
    /// process left, and runs each through the <see cref="IInboxHandler"/>. Adds the outbox too (busy answers) and the
    /// inbox table's migrations.
    /// </summary>
    public static IServiceCollection AddChatInbox<THandler>(this IServiceCollection services)
        where THandler : class, IQueueHandler<string, InboxItem>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InboxOptions>, InboxOptionsValidator>());
        services.AddReplicas();
        services.AddChatOutbox();
        services.AddStateSchema<InboxSchema>();
        services.TryAddSingleton<QueueSignal<InboxItem>>();
        services.TryAddSingleton<InboxStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricsRefresher, InboxMeter>());
        services.TryAddSingleton<ChatInbox>();
        services.TryAddSingleton<IChatInbox>(sp => sp.GetRequiredService<ChatInbox>());
        services.TryAddSingleton<THandler>();
        services.TryAddSingleton(sp => new QueueWorker<string, InboxItem>(
            sp.GetRequiredService<InboxStore>(), sp.GetRequiredService<THandler>(), sp.GetRequiredService<QueueSignal<InboxItem>>(),
            Settings(sp.GetRequiredService<IOptions<InboxOptions>>().Value), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<QueueWorker<string, InboxItem>>>(), sp.GetRequiredService<StoreNotifications>()));
        // A delivery kept by another replica wakes this one's worker (PostgreSQL).
        services.AddStoreWakeup(InboxStore.NotifyChannel, sp => sp.GetRequiredService<QueueSignal<InboxItem>>().Notify);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, QueueWorker<string, InboxItem>>(sp => sp.GetRequiredService<QueueWorker<string, InboxItem>>()));
        return services;
    }

    /// <summary>
    /// How the inbox's worker runs: at most <see cref="InboxOptions.Parallelism"/> people at once, one delivery of each at
    /// a time, in order; a start is never undone by a lease.
    /// </summary>
    public static QueueSettings Settings(InboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new QueueSettings
        {
            Name = "inbox",
            MaxLanes = options.Parallelism,
            Retention = options.Retention,
            Paused = options.Paused,
        };
    }
}
