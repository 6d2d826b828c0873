using ChatOps.Integrations.Teams.Connector;
using ChatOps.Integrations.Teams.Graph;
using ChatOps.Integrations.Teams.Inbound;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Teams;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>
    /// Registers Microsoft Teams: its options (<c>Teams:*</c>, validated at start), the inbound side (token
    /// validation, activities into the inbox, conversation references) and the Connector side (app token, sending
    /// and updating activities, and the Microsoft Graph lookup that keeps a post whose answer was lost from showing
    /// twice). The host maps <c>/api/messages</c> only when <see cref="TeamsOptions.Enabled"/>.
    /// </summary>
    public static IServiceCollection AddTeams(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.SectionName).ValidateOnStart();
        services.AddTeamsInbound();
        services.AddTeamsGraph();
        services.AddTeamsConnector();
        return services;
    }
}
