using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the state store and its start-up initializer; features add their tables, as numbered migrations, with
    /// <see cref="AddStateSchema{T}"/>. Call it before registering hosted services that use the store.
    /// </summary>
    public static IServiceCollection AddStateStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageProviderValidator>());
        if (services.All(d => d.ServiceType != typeof(StateDatabase)))
        {
            // Every feature calls this; the health check is registered once, with the store.
            services.AddHealthChecks().AddCheck<StateStoreHealthCheck>("state-store");
        }

        services.TryAddSingleton<StateDatabase>();
        services.AddHostedService<StateDatabaseInitializer>();
        return services;
    }

    public static IServiceCollection AddStateSchema<T>(this IServiceCollection services)
        where T : class, IStateSchema
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStateSchema, T>());
        return services;
    }
}
