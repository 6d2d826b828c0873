using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Bot.Hosting;

internal static class ReadinessServiceCollectionExtensions
{
    /// <summary>The gate recovery opens once the store and the world agree, and the health check that reports it.</summary>
    public static IServiceCollection AddReadiness(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ReadinessGate>();
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
        return services;
    }
}
