using ChatOps.Integrations.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Integrations.Teams.Connector;

internal static class TeamsConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Connector side: the app token, sending and updating activities, the Teams chat sender. Registered
    /// whether or not Teams is configured: without <c>Teams:AppId</c> a post to a <c>teams:</c> destination fails for
    /// good with a message saying what to set, instead of "no sender for teams".
    /// </summary>
    public static IServiceCollection AddTeamsConnector(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(TeamsAppToken.HttpClientName);
        // One token for the process: a singleton, not a typed client (those are transient and would each keep their own).
        services.TryAddSingleton(provider => ActivatorUtilities.CreateInstance<TeamsAppToken>(
            provider, provider.GetRequiredService<IHttpClientFactory>().CreateClient(TeamsAppToken.HttpClientName), TeamsAppToken.Scope));
        services.TryAddTransient<TeamsAuthenticationHandler>();
        // The sender is a singleton that keeps its client, so the handler chain lives as long as it does and pooled
        // connections are recycled instead, to follow DNS.
        services.AddHttpClient<ITeamsConnector, TeamsConnectorClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(TeamsRetryPipeline.Name, TeamsRetryPipeline.Configure);
        // Added after the retries, so each attempt carries the token of its moment.
        services.AddHttpClient<ITeamsConnector, TeamsConnectorClient>().AddHttpMessageHandler<TeamsAuthenticationHandler>();
        // The sender reads conversation references from the store the inbound side registers (AddTeamsInbound runs
        // first); without one there is no Teams conversation to post to.
        if (!services.Any(d => d.ServiceType == typeof(ITeamsConversations)))
        {
            return services;
        }

        services.TryAddSingleton<TeamsChatSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatSender, TeamsChatSender>(provider => provider.GetRequiredService<TeamsChatSender>()));
        return services;
    }
}
