using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// Commands waiting for one missing argument ("Which environment?"), per person and channel. The
/// next message completes them. Kept in the state store with their expiry, so a question asked just
/// before a restart is still answered by the reply that comes after it.
/// </summary>
internal sealed class Clarifications(StateDatabase database, TimeProvider time)
{
    /// <summary>How long a question waits for its answer.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ClarificationStore _store = new(database);

    /// <summary>Remembers that <paramref name="key"/> was asked to complete <paramref name="text"/>, replacing an earlier question.</summary>
    public Task AskAsync(string key, string text, CancellationToken cancellationToken)
    {
        // Unanswered questions are dropped as a new one is asked, so the table holds at most one per person and channel asked lately.
        var now = time.GetUtcNow();
        return _store.AskAsync(key, text, now, now + Lifetime, cancellationToken);
    }

    /// <summary>The pending question's command text, at most once; null when none is pending or it expired.</summary>
    public Task<string?> TakeAsync(string key, CancellationToken cancellationToken) => _store.TakeAsync(key, time.GetUtcNow(), cancellationToken);

    /// <summary>Whether a question waits for <paramref name="key"/>'s next message, which <see cref="TakeAsync"/> would then take.</summary>
    public Task<bool> IsPendingAsync(string key, CancellationToken cancellationToken) => _store.IsPendingAsync(key, time.GetUtcNow(), cancellationToken);

    /// <summary>Forgets the question <paramref name="key"/> was asked, if it still is the one completing <paramref name="text"/>: a button answered it.</summary>
    public Task ForgetAsync(string key, string text, CancellationToken cancellationToken) => _store.ForgetAsync(key, text, cancellationToken);
}
