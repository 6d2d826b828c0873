using System.Data.Common;
using System.Text.Json;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Watch;

/// <summary>Drift incidents in the state store, so one incident is one notice, also across restarts.</summary>
internal sealed class DriftStore(StateDatabase database)
{
    private const string Columns = "id, environment, started_at, problems, destinations, resolved_at, resolution";

    public Task<DriftIncident?> GetOpenAsync(string environment, CancellationToken cancellationToken) =>
        database.ReadAsync(c => GetOpenAsync(c, null, environment, cancellationToken), cancellationToken);

    /// <summary>The environment's open incident, in the caller's transaction.</summary>
    public static async Task<DriftIncident?> GetOpenAsync(DbConnection c, DbTransaction? t, string environment, CancellationToken cancellationToken) =>
        (await c.QueryAsync($"SELECT {Columns} FROM drift_incidents WHERE environment = @env AND resolved_at IS NULL",
            t, Map, cancellationToken, ("@env", environment))).SingleOrDefault();

    /// <summary>Opens an incident, or returns the one already open (the unique index makes that race-free).</summary>
    public Task<(bool Opened, DriftIncident Incident)> OpenAsync(string environment, DateTimeOffset startedAt, IReadOnlyList<NodeProblem> problems,
        IReadOnlyList<ChatDestination> destinations, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var open = await GetOpenAsync(c, t, environment, cancellationToken);
            if (open is not null)
            {
                return (false, open);
            }

            var id = (await c.QueryAsync(
                "INSERT INTO drift_incidents (environment, started_at, problems, destinations) VALUES (@env, @at, @problems, @destinations) RETURNING id",
                t, r => r.GetInt64(0), cancellationToken, ("@env", environment), ("@at", startedAt.ToUnixTimeMilliseconds()),
                ("@problems", JsonSerializer.Serialize(problems)), ("@destinations", JsonSerializer.Serialize(destinations)))).Single();
            return (true, new DriftIncident(id, environment, startedAt, problems, destinations));
        }, cancellationToken);

    public Task UpdateProblemsAsync(long id, IReadOnlyList<NodeProblem> problems, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE drift_incidents SET problems = @problems WHERE id = @id AND resolved_at IS NULL", t, cancellationToken,
            ("@id", id), ("@problems", JsonSerializer.Serialize(problems))), cancellationToken);

    /// <summary>Closes the incident; false when it was closed already.</summary>
    public Task<bool> ResolveAsync(long id, DateTimeOffset at, string resolution, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "UPDATE drift_incidents SET resolved_at = @at, resolution = @resolution WHERE id = @id AND resolved_at IS NULL", t, cancellationToken,
            ("@id", id), ("@at", at.ToUnixTimeMilliseconds()), ("@resolution", resolution)) == 1, cancellationToken);

    private static DriftIncident Map(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetTimestamp(2),
            JsonSerializer.Deserialize<List<NodeProblem>>(r.GetString(3)) ?? [],
            JsonSerializer.Deserialize<List<ChatDestination>>(r.GetString(4)) ?? [])
        {
            ResolvedAt = r.GetNullableTimestamp(5),
            Resolution = r.GetNullableString(6),
        };
}
