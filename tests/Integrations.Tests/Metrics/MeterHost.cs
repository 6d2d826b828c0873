using ChatOps.Integrations.Metrics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Metrics;

/// <summary>A meter factory of its own and an exporter over it, so a test sees only the meters it made.</summary>
public static class MeterHost
{
    public static async Task<string> ScrapeAsync(Func<IMeterFactory, IMetricsRefresher> create, CancellationToken cancellationToken)
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var exporter = new PrometheusExporter(factory, [create(factory)]);
        return await exporter.ScrapeAsync(cancellationToken);
    }
}
