using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Conversations;

/// <summary>Owns <c>clarifications</c>: at most one pending question per conversation, with its expiry (Unix ms).</summary>
internal sealed class ClarificationStore(StateDatabase database)
{
    /// <summary>Stores the question, replacing an earlier one, and drops every question expired by <paramref name="now"/>.</summary>
    public Task AskAsync(string key, string text, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM clarifications WHERE expires_at <= @now", t, cancellationToken, ("@now", now.ToUnixTimeMilliseconds()));
            return await c.ExecuteAsync(
                """
                INSERT INTO clarifications (conversation, text, expires_at) VALUES (@key, @text, @exp)
                ON CONFLICT (conversation) DO UPDATE SET text = excluded.text, expires_at = excluded.expires_at
                """, t, cancellationToken, ("@key", key), ("@text", text), ("@exp", expiresAt.ToUnixTimeMilliseconds()));
        }, cancellationToken);

    /// <summary>
    /// Removes the question and returns its text when it had not expired by <paramref name="now"/>. Most messages have no
    /// question pending: they are answered by a read, without taking the write lock.
    /// </summary>
    public async Task<string?> TakeAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = await database.ReadAsync(c => c.ScalarAsync("SELECT 1 FROM clarifications WHERE conversation = @key", null, cancellationToken, ("@key", key)), cancellationToken);
        return pending is null ? null : await TakePendingAsync(key, now, cancellationToken);
    }

    /// <summary>Whether a question that has not expired by <paramref name="now"/> waits for <paramref name="key"/>'s answer; a read only.</summary>
    public async Task<bool> IsPendingAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ScalarAsync("SELECT 1 FROM clarifications WHERE conversation = @key AND expires_at > @now", null, cancellationToken,
            ("@key", key), ("@now", now.ToUnixTimeMilliseconds())), cancellationToken) is not null;

    private Task<string?> TakePendingAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var text = (string?)await c.ScalarAsync("SELECT text FROM clarifications WHERE conversation = @key AND expires_at > @now", t, cancellationToken,
                ("@key", key), ("@now", now.ToUnixTimeMilliseconds()));
            await c.ExecuteAsync("DELETE FROM clarifications WHERE conversation = @key", t, cancellationToken, ("@key", key));
            return text;
        }, cancellationToken);

    public Task ForgetAsync(string key, string text, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM clarifications WHERE conversation = @key AND text = @text", t, cancellationToken,
            ("@key", key), ("@text", text)), cancellationToken);
}
