using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Teams.Inbound;

internal static class TeamsInboundServiceCollectionExtensions
{
    /// <summary>Registers the inbound side: token validation, activities into the inbox, conversation references.</summary>
    public static IServiceCollection AddTeamsInbound(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services;
    }
}
