using ChatOps.Integrations.Storage;

namespace ChatOps.Radiator.Deployments;

/// <summary>
/// Owns <c>radiator_cursors</c> (where each Elasticsearch watch stopped) and <c>radiator_deployments_posted</c>
/// (the documents already posted), so each document is posted once across restarts.
/// </summary>
internal sealed class DeploymentWatchStore(StateDatabase database)
{
    public async Task<string?> CursorAsync(string name, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ScalarAsync("SELECT cursor FROM radiator_cursors WHERE name = @name", null, cancellationToken, ("@name", name)), cancellationToken) as string;

    public Task SaveCursorAsync(string name, string cursor, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO radiator_cursors (name, cursor) VALUES (@name, @cursor) ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor", t, cancellationToken,
            ("@name", name), ("@cursor", cursor)), cancellationToken);

    public async Task<bool> IsPostedAsync(string id, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ScalarAsync("SELECT 1 FROM radiator_deployments_posted WHERE id = @id", null, cancellationToken, ("@id", id)), cancellationToken) is not null;

    /// <summary>Remembers <paramref name="id"/> as posted; the first time counts.</summary>
    public Task RememberPostedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO radiator_deployments_posted (id, posted_at) VALUES (@id, @at) ON CONFLICT (id) DO NOTHING", t, cancellationToken,
            ("@id", id), ("@at", at.ToUnixTimeMilliseconds())), cancellationToken);
}
