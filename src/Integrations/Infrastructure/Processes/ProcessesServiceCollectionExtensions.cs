using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Integrations.Infrastructure.Processes;

public static class ProcessesServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ProcessLauncher"/> (and the system clock when none is registered).</summary>
    public static IServiceCollection AddProcessLauncher(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProcessLauncher>();
        return services;
    }
}
