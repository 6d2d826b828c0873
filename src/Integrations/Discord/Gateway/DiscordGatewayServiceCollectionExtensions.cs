using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Discord.Gateway;

internal static class DiscordGatewayServiceCollectionExtensions
{
    public const string HealthCheckName = "discord-gateway";

    /// <summary>
    /// Registers the Gateway connection and its health check (<c>discord-gateway</c>), both on only when
    /// <c>Discord:Gateway</c> is true and <c>Discord:BotToken</c> is set; otherwise nothing of it is built, so a host
    /// without Discord needs none of what it uses (<see cref="IDiscordRest"/>, <see cref="IDiscordInteractionHandler"/>,
    /// the inbox).
    /// </summary>
    public static IServiceCollection AddDiscordGateway(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(DiscordGatewayState)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new DiscordGatewayTiming());
        services.TryAddSingleton<GatewaySession>();
        services.TryAddSingleton<DiscordGatewayState>();
        // Built by factories, so a host with the Gateway off (and without the inbox or an interaction handler, as a
        // host that only posts to Discord) still passes validation of its container.
        services.TryAddSingleton(provider => ActivatorUtilities.CreateInstance<GatewayDispatcher>(provider));
        services.TryAddSingleton(provider => ActivatorUtilities.CreateInstance<DiscordGatewayClient>(provider));
        services.AddSingleton<IHostedService>(provider => IsOn(provider.GetRequiredService<IOptions<DiscordOptions>>().Value)
            ? provider.GetRequiredService<DiscordGatewayClient>()
            : new GatewayOff());
        services.AddHealthChecks();
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<DiscordOptions>>((health, discord) =>
        {
            if (IsOn(discord.Value))
            {
                health.Registrations.Add(new HealthCheckRegistration(HealthCheckName,
                    provider => ActivatorUtilities.CreateInstance<DiscordGatewayHealthCheck>(provider), failureStatus: null, tags: null));
            }
        });
        return services;
    }

    /// <summary>Whether the Gateway runs: asked for, with the token it identifies with.</summary>
    public static bool IsOn(DiscordOptions options) => options.Gateway && !string.IsNullOrWhiteSpace(options.BotToken);

    /// <summary>Stands in for the Gateway when it is off, so nothing it needs is built.</summary>
    private sealed class GatewayOff : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
