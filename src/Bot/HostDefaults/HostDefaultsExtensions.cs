using ChatOps.Integrations.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Bot.HostDefaults;

/// <summary>
/// What every host of ours needs before any feature: the clock, health checks
/// and metrics, with their endpoints. Features register their own checks, meters and HTTP clients on top.
/// </summary>
internal static class HostDefaultsExtensions
{
    public static IServiceCollection AddHostDefaults(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHealthChecks();
        services.AddPrometheusMetrics();

        // No resilience handler for every client (ConfigureHttpClientDefaults): each outbound client has
        // rules of its own that a shared one would break. Slack repeats only calls safe to repeat and waits
        // out 429s; Elasticsearch repeats writes only when nothing reached the server and caps Retry-After;
        // the local node probe must not retry, its failure being its answer. Each client adds its own
        // pipeline (AddResilienceHandler) beside its registration, and opting a client out of a shared one
        // would need an API still marked experimental.
        return services;
    }

    /// <summary>Maps <c>/healthz</c> and <c>/metrics</c> (Prometheus text; its access rule is <see cref="Access.HttpAccess"/>'s).</summary>
    public static WebApplication MapHostDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/healthz");
        app.MapGet("/metrics", async (PrometheusExporter exporter, CancellationToken ct) =>
            Results.Text(await exporter.ScrapeAsync(ct), PrometheusText.ContentType));
        return app;
    }
}
