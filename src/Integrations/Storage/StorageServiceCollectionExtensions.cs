using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the state store; features add their tables with <see cref="AddStateSchema{T}"/>.</summary>
    public static IServiceCollection AddStateStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton<StateDatabase>();
        return services;
    }

    public static IServiceCollection AddStateSchema<T>(this IServiceCollection services)
        where T : class, IStateSchema
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStateSchema, T>());
        return services;
    }
}
