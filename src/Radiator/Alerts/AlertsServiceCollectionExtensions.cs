using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Metrics;
using ChatOps.Integrations.Storage;
using ChatOps.Radiator.Deployments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

internal static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// Alert lifecycle, chat publishing through the outbox, the ticker and deployment correlation
    /// (<c>Radiator:Alerts</c>). Called by <c>AddRadiator()</c> after the deployment feed is registered.
    /// </summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(AlertService)))
        {
            return services;
        }

        services.AddChatOutbox();
        services.AddStateStore().AddStateSchema<AlertSchema>();
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.SectionName)
            .PostConfigure(o =>
            {
                // Defaults here, not in initializers: binding would append to them.
                if (o.Channels.Count == 0)
                {
                    o.Channels.Add(AlertOptions.DefaultChannel);
                }

                if (o.GroupBy.Count == 0)
                {
                    o.GroupBy.AddRange(["alertname", "environment"]);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertOptions>, AlertOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>());
        services.TryAddSingleton<AlertDueTimes>();
        services.TryAddSingleton<AlertStore>();
        services.TryAddSingleton<AlertWatchStore>();
        services.TryAddSingleton(sp => new ContactDirectory(
            sp.GetService<IConfiguration>()?.GetSection(ContactDirectory.SectionName).Get<Dictionary<string, List<string>>>()));
        services.TryAddSingleton(sp => new AlertRouting(sp.GetRequiredService<IOptions<AlertOptions>>().Value, sp.GetRequiredService<ContactDirectory>()));
        services.TryAddSingleton<AlertPublisher>();
        services.TryAddSingleton<AlertService>();
        services.TryAddSingleton<AlertSourceHealth>();
        services.TryAddSingleton<AlertMetrics>();
        services.AddPrometheusMetrics();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricsRefresher, AlertMetrics>(sp => sp.GetRequiredService<AlertMetrics>()));
        services.TryAddSingleton<AlertRuleEvaluator>();
        services.AddHostedService<AlertTicker>();
        services.AddHostedService<AlertRuleService>();
        services.AddHostedService<ElasticsearchAlertSources>();

        // Every deployment also tells the alerts, whatever feed the radiator chose.
        var feed = services.LastOrDefault(d => d.ServiceType == typeof(IDeploymentFeed));
        if (feed?.ImplementationFactory is { } inner)
        {
            services.Remove(feed);
            services.AddSingleton<IDeploymentFeed>(sp => new AlertDeploymentFeed((IDeploymentFeed)inner(sp),
                sp.GetRequiredService<AlertService>(), sp.GetRequiredService<ILogger<AlertDeploymentFeed>>()));
        }

        return services;
    }
}
