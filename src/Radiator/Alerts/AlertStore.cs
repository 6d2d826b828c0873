using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;

namespace ChatOps.Radiator.Alerts;

/// <summary>A silence made by <c>/alert mute</c>: alerts matching <see cref="Matcher"/> stay quiet until <see cref="Until"/>.</summary>
public sealed record AlertSilence(long Id, AlertMatcher Matcher, string CreatedBy, DateTimeOffset Until);

/// <summary>How many alerts are open, by status, and when the oldest firing one started (null when none fires).</summary>
public sealed record AlertCensus(long Firing, long Acknowledged, DateTimeOffset? OldestFiringSince);

/// <summary>Alert state in the state store. Every change reads and writes its alerts in one transaction.</summary>
/// <param name="database">Where alerts live.</param>
/// <param name="dueTimes">When each alert is next due for the tick, written with every state.</param>
public sealed class AlertStore(StateDatabase database, AlertDueTimes dueTimes)
{
    private int _initialized;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// Creates the tables if the host has not yet: background loops may start before the host initializes the store.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _initialized) == 0)
        {
            await database.InitializeAsync(cancellationToken);
            Interlocked.Exchange(ref _initialized, 1);
        }
    }

    /// <summary>
    /// Reads the alert with <paramref name="fingerprint"/> (or null), lets <paramref name="change"/> decide its new
    /// state, and writes it, all in one transaction. Returns the stored alert before and after. Changes to different
    /// alerts that are due at the same moment share a commit, so <paramref name="change"/> must be a pure function of the
    /// alert it is given: it may run a second time if the shared transaction fails.
    /// </summary>
    public async Task<(Alert? Before, Alert? After)> UpdateByFingerprintAsync(string fingerprint, Func<Alert?, Alert?> change, CancellationToken cancellationToken) =>
        (await UpdateByFingerprintAsync([(fingerprint, change)], cancellationToken))[0];

    /// <summary>
    /// As the single change, for several in one transaction, applied in the order given: a later change of the same alert
    /// is given the state the earlier one wrote. Results come in the same order.
    /// </summary>
    public Task<IReadOnlyList<(Alert? Before, Alert? After)>> UpdateByFingerprintAsync(
        IReadOnlyList<(string Fingerprint, Func<Alert?, Alert?> Change)> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return database.WriteGroupedAsync<IReadOnlyList<(Alert?, Alert?)>>(async (connection, transaction) =>
        {
            var results = new List<(Alert?, Alert?)>(changes.Count);
            foreach (var (fingerprint, change) in changes)
            {
                var before = await ReadOneAsync(connection, transaction, "fingerprint = @key", fingerprint, cancellationToken);
                results.Add((before, await ApplyAsync(connection, transaction, before, change(before), cancellationToken)));
            }

            return results;
        }, cancellationToken);
    }

    /// <summary>As <see cref="UpdateByFingerprintAsync(string, Func{Alert?, Alert?}, CancellationToken)"/>, for the alert numbered <paramref name="id"/>; (null, null) when there is none.</summary>
    public Task<(Alert? Before, Alert? After)> UpdateByIdAsync(long id, Func<Alert, Alert?> change, CancellationToken cancellationToken) =>
        database.WriteGroupedAsync(async (connection, transaction) =>
        {
            var before = await ReadOneAsync(connection, transaction, "id = @key", id, cancellationToken);
            return before is null ? (null, null) : (before, await ApplyAsync(connection, transaction, before, change(before), cancellationToken));
        }, cancellationToken);

    public Task<Alert?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => ReadOneAsync(connection, null, "id = @key", id, cancellationToken), cancellationToken);

    /// <summary>Open alerts, or with <paramref name="includeResolved"/> every alert, newest first.</summary>
    public Task<IReadOnlyList<Alert>> ListAsync(bool includeResolved, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = includeResolved
                ? "SELECT id, state FROM radiator_alerts ORDER BY updated_at DESC, id DESC LIMIT @limit"
                : "SELECT id, state FROM radiator_alerts WHERE status <> 'resolved' ORDER BY id DESC LIMIT @limit";
            command.AddParameter("@limit", limit);
            return await ReadManyAsync(command, cancellationToken);
        }, cancellationToken);

    /// <summary>Every alert that is not resolved: for a mute, which must find each one it matches.</summary>
    public Task<IReadOnlyList<Alert>> OpenAsync(CancellationToken cancellationToken) => ListAsync(false, int.MaxValue, cancellationToken);

    /// <summary>The open alerts whose next due moment (<see cref="AlertDueTimes"/>) has come, oldest first.</summary>
    public Task<IReadOnlyList<Alert>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Alert>>(async connection => await connection.QueryAsync(
            "SELECT id, state FROM radiator_alerts WHERE status <> 'resolved' AND due_at <= @now ORDER BY id",
            null, ReadAlert, cancellationToken, ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);

    /// <summary>
    /// Computes every open alert's due moment and start again and stores those that differ; returns how many did. Run at
    /// start: the due moments depend on the acknowledgement expiry and the escalation routes, which the settings may have
    /// changed, and alerts stored before either was kept have neither. Read without the write lock; a state changed
    /// since is left alone, since its change wrote its own.
    /// </summary>
    public async Task<int> RefreshTimesAsync(CancellationToken cancellationToken)
    {
        var stale = (await database.ReadAsync(c => c.QueryAsync(
                "SELECT id, state, due_at, starts_at FROM radiator_alerts WHERE status <> 'resolved'", null,
                r => (Id: r.GetInt64(0), State: r.GetString(1), Alert: ReadAlert(r), Kept: (Due: Nullable(r, 2), Starts: Nullable(r, 3))), cancellationToken), cancellationToken))
            .Select(a => (a.Id, a.State, a.Kept, Now: (Due: DueAt(a.Alert), Starts: StartsAt(a.Alert))))
            .Where(a => a.Kept != a.Now)
            .ToList();
        return stale.Count == 0 ? 0 : await database.WriteAsync(async (connection, transaction) =>
        {
            var changed = 0;
            foreach (var (id, state, _, (due, starts)) in stale)
            {
                changed += await connection.ExecuteAsync("UPDATE radiator_alerts SET due_at = @due, starts_at = @starts WHERE id = @id AND state = @state", transaction,
                    cancellationToken, ("@due", due), ("@starts", starts), ("@id", id), ("@state", state));
            }

            return changed;
        }, cancellationToken);
    }

    /// <summary>Open alerts by status and when the oldest firing one started, from the indexes alone: what a metrics scrape shows.</summary>
    public Task<AlertCensus> CensusAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var counts = await connection.QueryAsync("SELECT status, COUNT(*) FROM radiator_alerts WHERE status <> 'resolved' GROUP BY status", null,
                r => (Status: r.GetString(0), Count: r.GetInt64(1)), cancellationToken);
            var oldest = await connection.ScalarAsync("SELECT MIN(starts_at) FROM radiator_alerts WHERE status = 'firing'", null, cancellationToken);
            return new AlertCensus(
                counts.Where(c => c.Status == "firing").Sum(c => c.Count),
                counts.Where(c => c.Status == "acknowledged").Sum(c => c.Count),
                oldest is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
        }, cancellationToken);

    private static long? Nullable(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    private static long StartsAt(Alert alert) => alert.StartsAt.ToUnixTimeMilliseconds();

    private long? DueAt(Alert alert) => dueTimes.Of(alert)?.ToUnixTimeMilliseconds();

    /// <summary>
    /// Open alerts whose current state was posted, with the engine's JSON access: the same text as the partial indexes'
    /// condition (<see cref="AlertSchema"/>), so they serve it.
    /// </summary>
    internal static string OpenAndPosted(Func<string, string, string> json) =>
        $"status <> 'resolved' AND {json("state", "announced")} = {json("state", "generation")}";

    /// <summary>An alert's group, as the indexes hold it.</summary>
    internal static string Group(Func<string, string, string> json) => json("state", "group");

    private readonly string _inGroup = $"{Group(database.JsonText)} = @g AND {OpenAndPosted(database.JsonText)}";

    /// <summary>The open alerts of <paramref name="group"/> that have a message (not held back by a silence): the oldest few and the counts.</summary>
    public Task<AlertGroup> GroupAsync(string group, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var oldest = await connection.QueryAsync(
                $"SELECT id, status FROM radiator_alerts WHERE {_inGroup} ORDER BY id LIMIT @n",
                null, r => (r.GetInt64(0), r.GetString(1) == "acknowledged" ? AlertStatus.Acknowledged : AlertStatus.Firing), cancellationToken,
                ("@g", group), ("@n", AlertGroup.Listed + 1));
            var counts = await connection.QueryAsync(
                "SELECT open_count, firing_count FROM radiator_alert_group_counts WHERE group_name = @g",
                null, r => (Open: (int)r.GetInt64(0), Firing: (int)r.GetInt64(1)), cancellationToken, ("@g", group));
            return counts is [var (open, firing)] ? new AlertGroup(group, oldest, open, firing) : new AlertGroup(group, oldest, 0, 0);
        }, cancellationToken);

    public Task<long> AddSilenceAsync(AlertMatcher matcher, string createdBy, DateTimeOffset until, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO radiator_alert_silences (matcher, created_by, until) VALUES (@m, @by, @until) RETURNING id";
            command.AddParameter("@m", matcher.Text);
            command.AddParameter("@by", createdBy);
            command.AddParameter("@until", until.ToUnixTimeMilliseconds());
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    /// <summary>Silences still in force at <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<AlertSilence>> SilencesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AlertSilence>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, matcher, created_by, until FROM radiator_alert_silences WHERE until > @now AND expired = 0 ORDER BY id";
            command.AddParameter("@now", now.ToUnixTimeMilliseconds());
            return await ReadSilencesAsync(command, cancellationToken);
        }, cancellationToken);

    /// <summary>Marks silences that ran out as expired and returns them, each exactly once.</summary>
    public Task<IReadOnlyList<AlertSilence>> ExpireSilencesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<AlertSilence>>(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE radiator_alert_silences SET expired = 1 WHERE until <= @now AND expired = 0 RETURNING id, matcher, created_by, until";
            command.AddParameter("@now", now.ToUnixTimeMilliseconds());
            return await ReadSilencesAsync(command, cancellationToken);
        }, cancellationToken);

    public Task<string?> CursorAsync(string source, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.ScalarAsync("SELECT cursor FROM radiator_alert_cursors WHERE source = @s", null, cancellationToken, ("@s", source)) as string, cancellationToken);

    /// <summary>
    /// Saves a tail's cursor, unless <paramref name="fence"/> says another replica took the tail since (then false and
    /// nothing changes). Null for a tail run outside the schedule leases.
    /// </summary>
    public Task<bool> SaveCursorAsync(string source, string cursor, ScheduleFence? fence, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) =>
        {
            if (fence is not null && !await ScheduleLeaseStore.IsCurrentAsync(c, tx, fence, cancellationToken))
            {
                return false;
            }

            await c.ExecuteAsync("INSERT INTO radiator_alert_cursors (source, cursor) VALUES (@s, @c) ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor", tx, cancellationToken,
                ("@s", source), ("@c", cursor));
            return true;
        }, cancellationToken);

    public Task RecordDeploymentAsync(string environment, DateTimeOffset finishedAt, string what, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO radiator_alert_deployments (environment, finished_at, what) VALUES (@env, @at, @what)
                ON CONFLICT (environment) DO UPDATE SET finished_at = excluded.finished_at, what = excluded.what
                WHERE excluded.finished_at >= radiator_alert_deployments.finished_at
                """;
            command.AddParameter("@env", environment.ToLowerInvariant());
            command.AddParameter("@at", finishedAt.ToUnixTimeMilliseconds());
            command.AddParameter("@what", what);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<(DateTimeOffset At, string What)?> LastDeploymentAsync(string environment, CancellationToken cancellationToken) =>
        database.ReadAsync<(DateTimeOffset, string)?>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT finished_at, what FROM radiator_alert_deployments WHERE environment = @env";
            command.AddParameter("@env", environment.ToLowerInvariant());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? (DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1))
                : null;
        }, cancellationToken);

    private async Task<Alert?> ApplyAsync(DbConnection connection, DbTransaction transaction, Alert? before, Alert? after, CancellationToken cancellationToken)
    {
        if (after is null || after == before)
        {
            return before;
        }

        if (before is null)
        {
            // The id is the row's: numbered first, then stored in the state that carries it.
            var id = await connection.ScalarAsync(
                "INSERT INTO radiator_alerts (fingerprint, status, updated_at, state) VALUES (@fp, @status, @at, '{}') RETURNING id", transaction, cancellationToken,
                ("@fp", after.Fingerprint), ("@status", after.StatusName), ("@at", after.UpdatedAt.ToUnixTimeMilliseconds()));
            after = after with { Id = (long)id! };
        }

        await connection.ExecuteAsync(
            "UPDATE radiator_alerts SET status = @status, updated_at = @at, state = @state, due_at = @due, starts_at = @starts WHERE id = @id", transaction, cancellationToken,
            ("@status", after.StatusName), ("@at", after.UpdatedAt.ToUnixTimeMilliseconds()), ("@state", JsonSerializer.Serialize(after, Json)), ("@due", DueAt(after)),
            ("@starts", StartsAt(after)), ("@id", after.Id));
        await RecountAsync(connection, transaction, before, after, cancellationToken);
        return after;
    }

    /// <summary>
    /// Keeps the group counts in step with the row, in its transaction: what the state before counted in its group is
    /// taken away, what the state after counts is added. Only the open, posted members count, as <see cref="OpenAndPosted"/>.
    /// </summary>
    private static async Task RecountAsync(DbConnection connection, DbTransaction transaction, Alert? before, Alert after, CancellationToken cancellationToken)
    {
        var (was, now) = (Counted(before), Counted(after));
        if (was == now)
        {
            return;
        }

        foreach (var (member, sign) in new[] { (was, -1), (now, 1) })
        {
            if (member is { } counted)
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO radiator_alert_group_counts (group_name, open_count, firing_count) VALUES (@g, @open, @firing)
                    ON CONFLICT (group_name) DO UPDATE SET open_count = radiator_alert_group_counts.open_count + excluded.open_count,
                        firing_count = radiator_alert_group_counts.firing_count + excluded.firing_count
                    """, transaction, cancellationToken, ("@g", counted.Group), ("@open", sign), ("@firing", counted.Firing ? sign : 0));
            }
        }
    }

    private static (string Group, bool Firing)? Counted(Alert? alert) =>
        alert is { Status: not AlertStatus.Resolved } && alert.Announced == alert.Generation ? (alert.Group, alert.Status == AlertStatus.Firing) : null;

    private static async Task<Alert?> ReadOneAsync(DbConnection connection, DbTransaction? transaction, string where, object key, CancellationToken cancellationToken)
    {
        var found = await connection.QueryAsync($"SELECT id, state FROM radiator_alerts WHERE {where}", transaction, ReadAlert, cancellationToken, ("@key", key));
        return found.Count == 0 ? null : found[0];
    }

    private static Alert ReadAlert(DbDataReader reader) => JsonSerializer.Deserialize<Alert>(reader.GetString(1), Json)! with { Id = reader.GetInt64(0) };

    private static async Task<IReadOnlyList<Alert>> ReadManyAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var alerts = new List<Alert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(ReadAlert(reader));
        }

        return alerts;
    }

    private static async Task<IReadOnlyList<AlertSilence>> ReadSilencesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var silences = new List<AlertSilence>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (AlertMatcher.TryParse(reader.GetString(1), out var matcher, out _))
            {
                silences.Add(new AlertSilence(reader.GetInt64(0), matcher, reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }
        }

        return silences;
    }

    /// <summary>A time kept in stored text (an alert's history): the one absolute format; chat messages use <see cref="ChatTime.Mark"/>.</summary>
    internal static string Format(DateTimeOffset at) => ChatTime.Fallback(at);
}
