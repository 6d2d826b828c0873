using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// Commands waiting for one missing argument ("Which environment?"), per person and channel. The
/// next message completes them. Kept in the state store with their expiry, so a question asked just
/// before a restart is still answered by the reply that comes after it.
/// </summary>
public sealed class Clarifications(StateDatabase database, TimeProvider time)
{
    /// <summary>How long a question waits for its answer.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>Remembers that <paramref name="key"/> was asked to complete <paramref name="text"/>, replacing an earlier question.</summary>
    public Task AskAsync(string key, string text, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = time.GetUtcNow();
            // Unanswered questions are dropped here, so the table holds at most one per person and channel asked lately.
            await c.ExecuteAsync("DELETE FROM clarifications WHERE expires_at <= @now", t, cancellationToken, ("@now", now.ToUnixTimeMilliseconds()));
            return await c.ExecuteAsync(
                """
                INSERT INTO clarifications (conversation, text, expires_at) VALUES (@key, @text, @exp)
                ON CONFLICT (conversation) DO UPDATE SET text = excluded.text, expires_at = excluded.expires_at
                """, t, cancellationToken, ("@key", key), ("@text", text), ("@exp", (now + Lifetime).ToUnixTimeMilliseconds()));
        }, cancellationToken);

    /// <summary>The pending question's command text, at most once; null when none is pending or it expired.</summary>
    public Task<string?> TakeAsync(string key, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var text = (string?)await c.ScalarAsync("SELECT text FROM clarifications WHERE conversation = @key AND expires_at > @now", t, cancellationToken,
                ("@key", key), ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()));
            await c.ExecuteAsync("DELETE FROM clarifications WHERE conversation = @key", t, cancellationToken, ("@key", key));
            return text;
        }, cancellationToken);

    /// <summary>Forgets the question <paramref name="key"/> was asked, if it still is the one completing <paramref name="text"/>: a button answered it.</summary>
    public Task ForgetAsync(string key, string text, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM clarifications WHERE conversation = @key AND text = @text", t, cancellationToken,
            ("@key", key), ("@text", text)), cancellationToken);
}
