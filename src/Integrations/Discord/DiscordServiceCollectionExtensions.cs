using ChatOps.Integrations.Discord.Gateway;
using ChatOps.Integrations.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Registers Discord: its options (<c>Discord:*</c>, validated at start), the request verifier and
    /// <see cref="DiscordHttpInbound"/>. The host maps <c>/discord/interactions</c> only when
    /// <see cref="DiscordOptions.Enabled"/>.
    /// </summary>
    public static IServiceCollection AddDiscord(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DiscordOptions>().BindConfiguration(DiscordOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiscordRequestVerifier>();
        services.TryAddSingleton<DiscordHttpInbound>();
        services.AddDiscordRest();
        services.AddDiscordGateway();
        return services;
    }
}
