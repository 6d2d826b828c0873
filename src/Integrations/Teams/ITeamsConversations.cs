namespace ChatOps.Integrations.Teams;

/// <summary>
/// The conversations the bot has been added to or spoken to in, each with the Connector address its messages go to.
/// Every inbound activity refreshes its conversation's reference, so a proactive post to <c>teams:{conversation id}</c>
/// (the radiator's alerts, a run's progress after a restart) knows where to go.
/// </summary>
internal interface ITeamsConversations
{
    /// <summary>Keeps <paramref name="reference"/>, replacing an earlier one for the same conversation.</summary>
    Task RememberAsync(TeamsConversationReference reference, CancellationToken cancellationToken);

    /// <summary>The reference of conversation <paramref name="conversationId"/>, or null when the bot has never seen it.</summary>
    Task<TeamsConversationReference?> FindAsync(string conversationId, CancellationToken cancellationToken);
}

/// <summary>
/// Where a conversation lives: its id, the Connector base address (<c>serviceUrl</c>) of the activities that came from
/// it, the tenant, and the bot's own account there (its <c>recipient</c> id, used as <c>from</c> when it posts). For
/// Microsoft Graph, which names a channel by its team: the conversation's type (<c>conversation.conversationType</c>:
/// <c>channel</c>, <c>groupChat</c>, <c>personal</c>) and, for a channel, its team's Entra ID group id
/// (<c>channelData.team.aadGroupId</c>), each null until an activity has said it.
/// </summary>
internal sealed record TeamsConversationReference(
    string ConversationId, Uri ServiceUrl, string? TenantId, string BotId, string? BotName, string? ConversationType = null, string? TeamId = null);
