using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Bot.Conversations;

internal static class ConversationsServiceCollectionExtensions
{
    /// <summary>What people answer: confirmations and approvals, clarifying questions, and commands offered as buttons.</summary>
    public static IServiceCollection AddConversations(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddStateSchema<DecisionSchema>();
        services.TryAddSingleton<DecisionStore>();
        services.TryAddSingleton<Approvers>();
        services.TryAddSingleton<DecisionAnswers>();
        services.TryAddSingleton<Clarifications>();
        services.TryAddSingleton<CommandOffers>();
        return services;
    }
}
