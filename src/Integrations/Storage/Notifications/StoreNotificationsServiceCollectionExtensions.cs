using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ChatOps.Integrations.Storage.Notifications;

public static class StoreNotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Wakes what <paramref name="wake"/> gives when another replica commits a change notified on <paramref name="channel"/>
    /// (<see cref="StateDatabase.NotifyAsync"/>). Adds the one <see cref="StoreListener"/>, <see cref="StoreNotifications"/>
    /// and the listener's health entry with the first call.
    /// </summary>
    public static IServiceCollection AddStoreWakeup(this IServiceCollection services, string channel, Func<IServiceProvider, Action> wake)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(wake);
        services.AddStateStore();
        if (services.All(d => d.ServiceType != typeof(StoreNotifications)))
        {
            services.AddHealthChecks().AddCheck<StoreListenerHealthCheck>("state-store-listener");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StoreNotifications>();
        services.AddSingleton(sp => new StoreWakeup(channel, wake(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StoreListener>());
        return services;
    }
}
