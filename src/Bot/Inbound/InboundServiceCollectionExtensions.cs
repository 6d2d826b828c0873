using ChatOps.Integrations.Chat.Inbox;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Bot.Inbound;

internal static class InboundServiceCollectionExtensions
{
    /// <summary>
    /// The durable inbox (<c>Inbound:*</c>) with the host's side of it: the <see cref="InboxRunner"/> hands kept
    /// deliveries to the <see cref="ChatDispatcher"/> once the readiness gate opens, and commands that only read are answered as
    /// they are received (<see cref="QueryAnswers"/>). Needs the state store.
    /// </summary>
    public static IServiceCollection AddInbound(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ChatReplies>();
        services.TryAddSingleton<ButtonOrigins>();
        services.TryAddSingleton<CommandButtons>();
        services.TryAddSingleton<ChatDispatcher>();
        services.TryAddSingleton<IInboxHandler>(sp => sp.GetRequiredService<ChatDispatcher>());
        services.TryAddSingleton<IQueryAnswers, QueryAnswers>();
        services.AddChatInbox<InboxRunner>();
        return services;
    }
}
