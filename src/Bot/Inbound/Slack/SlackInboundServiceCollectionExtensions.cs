using ChatOps.Integrations.Slack;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound.Slack;

internal static class SlackInboundServiceCollectionExtensions
{
    /// <summary>
    /// Slack in the host: the adapter (<c>Slack:*</c>; off without <c>Slack:BotToken</c>), which writes what it
    /// receives into the inbox, and a start-up check that a host which
    /// accepts Slack requests can also answer them. Map the request URLs with <see cref="SlackEndpoints.MapSlack"/>.
    /// </summary>
    public static IServiceCollection AddSlackInbound(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSlack(configuration);
        // The HTTP endpoints name senders too, also when the adapter is off (the name is then the id).
        services.TryAddSingleton<SlackDisplayNames>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackHostOptionsValidator>());
        return services;
    }
}
