using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Elasticsearch;

public static class ElasticsearchServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IElasticsearchClient"/> as a typed HttpClient with auth and TLS from the
    /// <c>Elasticsearch</c> section, validated at start. Check <see cref="ElasticsearchOptions.IsConfigured"/>
    /// before resolving the client: without a Url the radiator uses its embedded store.
    /// </summary>
    public static IServiceCollection AddElasticsearch(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ElasticsearchOptions>().BindConfiguration(ElasticsearchOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ElasticsearchOptions>, ElasticsearchOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ElasticsearchOptions>, ElasticsearchOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<ElasticsearchAuthHandler>();
        var client = services.AddHttpClient<IElasticsearchClient, ElasticsearchClient>(http =>
            {
                // The pipeline times each attempt; a whole-call timeout would cut retries short.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => ElasticsearchCertificateValidator.CreateHandler(
                sp.GetRequiredService<IOptions<ElasticsearchOptions>>().Value,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<ElasticsearchClient>()))
            .AddHttpMessageHandler<ElasticsearchAuthHandler>();
        client.AddResilienceHandler(ElasticsearchResilience.Name, (builder, context) => ElasticsearchResilience.Configure(
            builder,
            context.ServiceProvider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value,
            context.ServiceProvider.GetRequiredService<TimeProvider>(),
            context.ServiceProvider.GetRequiredService<ILogger<ElasticsearchClient>>()));
        return services;
    }
}
