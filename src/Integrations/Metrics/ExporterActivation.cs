using Microsoft.Extensions.Hosting;

namespace ChatOps.Integrations.Metrics;

/// <summary>
/// Creates the <see cref="PrometheusExporter"/> as the host starts rather than at the first scrape: a
/// counter's additions made before the exporter listens would be lost.
/// </summary>
internal sealed class ExporterActivation(PrometheusExporter exporter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(exporter);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
