using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Teams;

/// <summary>The owner of <c>teams_conversations</c>: conversation references, kept in the state store so they outlive a restart.</summary>
internal sealed class TeamsConversationStore(StateDatabase database, TimeProvider time) : ITeamsConversations
{
    public Task RememberAsync(TeamsConversationReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return database.WriteAsync(
            (c, t) => c.ExecuteAsync(
                """
                INSERT INTO teams_conversations (conversation_id, service_url, tenant_id, bot_id, bot_name, conversation_type, team_id, updated_at)
                VALUES (@id, @url, @tenant, @bot, @name, @type, @team, @now)
                ON CONFLICT (conversation_id) DO UPDATE SET
                    service_url = excluded.service_url,
                    tenant_id = COALESCE(excluded.tenant_id, teams_conversations.tenant_id),
                    bot_id = excluded.bot_id,
                    bot_name = COALESCE(excluded.bot_name, teams_conversations.bot_name),
                    conversation_type = COALESCE(excluded.conversation_type, teams_conversations.conversation_type),
                    team_id = COALESCE(excluded.team_id, teams_conversations.team_id),
                    updated_at = excluded.updated_at
                """,
                t, cancellationToken,
                ("@id", reference.ConversationId), ("@url", reference.ServiceUrl.AbsoluteUri), ("@tenant", reference.TenantId),
                ("@bot", reference.BotId), ("@name", reference.BotName), ("@type", reference.ConversationType), ("@team", reference.TeamId),
                ("@now", time.GetUtcNow().ToUnixTimeMilliseconds())),
            cancellationToken);
    }

    public async Task<TeamsConversationReference?> FindAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var found = await database.ReadAsync(
            c => c.QueryAsync(
                """
                SELECT conversation_id, service_url, tenant_id, bot_id, bot_name, conversation_type, team_id
                FROM teams_conversations WHERE conversation_id = @id
                """,
                null,
                r => new TeamsConversationReference(
                    r.GetString(0), new Uri(r.GetString(1)), r.GetNullableString(2), r.GetString(3), r.GetNullableString(4), r.GetNullableString(5), r.GetNullableString(6)),
                cancellationToken,
                ("@id", conversationId)),
            cancellationToken);
        return found.Count == 0 ? null : found[0];
    }
}
