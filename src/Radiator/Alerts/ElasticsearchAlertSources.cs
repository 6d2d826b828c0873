using ChatOps.Integrations.Elasticsearch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary>Starts one <see cref="ElasticsearchAlertSource"/> per configured source, when Elasticsearch is configured.</summary>
internal sealed class ElasticsearchAlertSources(IServiceProvider services, IOptions<AlertOptions> options, IOptions<ElasticsearchOptions> elasticsearch) : IHostedService
{
    private readonly List<ElasticsearchAlertSource> _sources = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!elasticsearch.Value.IsConfigured)
        {
            return;
        }

        foreach (var source in options.Value.Sources)
        {
            var tail = ActivatorUtilities.CreateInstance<ElasticsearchAlertSource>(services, source, services.GetRequiredService<IElasticsearchClient>());
            _sources.Add(tail);
            await tail.StartAsync(cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var source in _sources)
        {
            await source.StopAsync(cancellationToken);
            source.Dispose();
        }
    }
}
