using ChatOps.Integrations.Teams.Connector;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Integrations.Teams.Graph;

internal static class TeamsGraphServiceCollectionExtensions
{
    /// <summary>The lookup's entry in <c>/healthz</c>.</summary>
    public const string TeamsGraphHealthCheckName = "teams-graph";

    /// <summary>
    /// Registers the Microsoft Graph lookup of posts whose answer was lost: its own app token (Graph's scope, the same
    /// token endpoint), the typed client at <c>Teams:GraphBaseUrl</c>, the finder and its <c>teams-graph</c> health entry.
    /// </summary>
    public static IServiceCollection AddTeamsGraph(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(TeamsAppToken.HttpClientName);
        services.TryAddSingleton(provider => new TeamsGraphToken(ActivatorUtilities.CreateInstance<TeamsAppToken>(
            provider, provider.GetRequiredService<IHttpClientFactory>().CreateClient(TeamsAppToken.HttpClientName), TeamsAppToken.GraphScope)));
        // The finder is a singleton that keeps its client (as the Connector's sender does): connections are recycled instead.
        services.AddHttpClient<ITeamsGraphMessages, TeamsGraphClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(provider => new TeamsAuthenticationHandler(provider.GetRequiredService<TeamsGraphToken>().AppToken));
        services.TryAddSingleton<TeamsGraphLookupState>();
        services.TryAddSingleton<TeamsGraphPostFinder>();
        services.AddHealthChecks().AddCheck<TeamsGraphHealthCheck>(TeamsGraphHealthCheckName);
        return services;
    }
}
