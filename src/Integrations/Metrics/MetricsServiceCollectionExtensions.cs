using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ChatOps.Integrations.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the meter factory and the <see cref="PrometheusExporter"/>. Each area creates its
    /// <c>ChatOps.{Area}</c> meter from <see cref="System.Diagnostics.Metrics.IMeterFactory"/> and, when
    /// its figures come from storage, registers an <see cref="IMetricsRefresher"/>.
    /// </summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton<PrometheusExporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExporterActivation>());
        return services;
    }
}
