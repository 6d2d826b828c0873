using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Watch;

internal static class WatchServiceCollectionExtensions
{
    /// <summary>
    /// What the environments are doing now: the snapshots status and the API read, and the drift watch
    /// (incidents in the state store, their notices, and the watcher itself).
    /// </summary>
    public static IServiceCollection AddWatch(this IServiceCollection services)
    {
        services.TryAddSingleton<EnvironmentSnapshots>();
        services.AddStateSchema<DriftSchema>();
        services.AddOptions<WatchOptions>().BindConfiguration(WatchOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WatchOptions>, WatchOptionsValidator>());
        services.TryAddSingleton<DriftStore>();
        services.TryAddSingleton<DriftNotices>();
        services.TryAddSingleton<DriftWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DriftWatcher>());
        return services;
    }
}
