using System.Data.Common;
using ChatOps.Integrations.Storage;
using System.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Events;

/// <summary>
/// The embedded event store. Each batch is one transaction that appends the raw events and folds
/// them into per-minute roll-ups, so reading a KPI later never scans raw events.
/// </summary>
internal sealed class EmbeddedEventStore(StateDatabase database, IOptions<RadiatorOptions> options, TimeProvider timeProvider, ILogger<EmbeddedEventStore> logger) : IEventWriter
{
    private readonly Lock _gate = new();
    private Task? _initialized;

    /// <summary>
    /// Stores the events; returns how many were stored. Events older than the roll-up retention are
    /// dropped, and so are events whose <see cref="RadiatorEvent.Id"/> is already stored.
    /// </summary>
    public async Task<int> AppendAsync(IReadOnlyList<RadiatorEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        await EnsureInitializedAsync(cancellationToken);
        var oldest = timeProvider.GetUtcNow() - options.Value.RollupRetention;
        var kept = events.Where(e => e.Timestamp >= oldest).ToList();
        if (kept.Count == 0)
        {
            return 0;
        }

        var (stored, minutes) = await database.WriteAsync(async (connection, transaction) =>
        {
            // Which events are new is known only inside the transaction, so the roll-ups are folded here.
            var fresh = await WithoutKnownIdsAsync(connection, transaction, kept, cancellationToken);
            var rollups = Rollups(fresh);
            await InsertRawAsync(connection, transaction, fresh, cancellationToken);
            await MergeRollupsAsync(connection, transaction, rollups, cancellationToken);
            return (fresh.Count, rollups.Count);
        }, cancellationToken);
        Log.EventsStored(logger, stored, minutes);
        return stored;
    }

    public async Task<IReadOnlyList<RefusedEvent>> WriteAsync(IReadOnlyList<RadiatorEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var oldest = timeProvider.GetUtcNow() - options.Value.RollupRetention;
        var refused = events.Select((e, i) => (e, i)).Where(x => x.e.Timestamp < oldest)
            .Select(x => new RefusedEvent(x.i, $"older than the retention of {options.Value.RollupRetention.TotalDays:0} days")).ToList();
        await AppendAsync(events, cancellationToken);
        return refused;
    }

    /// <summary>Roll-ups of <paramref name="key"/> for minutes in [<paramref name="fromMinute"/>, <paramref name="toMinute"/>).</summary>
    /// <param name="key">The event key.</param>
    /// <param name="fromMinute">The first minute (since the epoch) included.</param>
    /// <param name="toMinute">The first minute excluded.</param>
    /// <param name="withHistograms">Only percentiles need the histograms; other KPIs skip reading them.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<MinuteRollup>> ReadRollupsAsync(string key, long fromMinute, long toMinute, bool withHistograms, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken);
        // NULL rather than an empty blob literal: x'' is a blob in SQLite but a bit string in PostgreSQL.
        var histogram = withHistograms ? "histogram" : "NULL";
        return await database.ReadAsync(connection => connection.QueryAsync(
            $"SELECT minute, count, sum, min, max, latest, {histogram} FROM radiator_rollups WHERE key = @key AND minute >= @from AND minute < @to ORDER BY minute",
            null,
            reader =>
            {
                var rollup = new MinuteRollup(key, reader.GetInt64(0));
                rollup.Merge(reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetInt64(5), reader.IsDBNull(6) ? [] : (byte[])reader[6]);
                return rollup;
            },
            cancellationToken,
            ("@key", key),
            ("@from", fromMinute),
            ("@to", toMinute)), cancellationToken);
    }

    /// <summary>Raw events of <paramref name="key"/> in [from, to), oldest first: for checks and exports, never for pulses.</summary>
    public async Task<IReadOnlyList<RadiatorEvent>> ReadEventsAsync(string key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken);
        return await database.ReadAsync(connection => connection.QueryAsync(
            "SELECT ts, value, message FROM radiator_events WHERE key = @key AND ts >= @from AND ts < @to ORDER BY ts, id",
            null,
            reader => new RadiatorEvent(reader.GetTimestamp(0), key, reader.GetDouble(1)) { Message = reader.GetNullableString(2) },
            cancellationToken,
            ("@key", key),
            ("@from", from.ToUnixTimeMilliseconds()),
            ("@to", to.ToUnixTimeMilliseconds())), cancellationToken);
    }

    public async Task<long> CountEventsAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken);
        return await database.ReadAsync(async connection => (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM radiator_events", null, cancellationToken))!, cancellationToken);
    }

    /// <summary>Deletes raw events and roll-ups past their retention; returns the raw events deleted.</summary>
    public async Task<int> ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var rawBefore = (now - options.Value.EventRetention).ToUnixTimeMilliseconds();
        var rollupBefore = MinuteRollup.MinuteOf(now - options.Value.RollupRetention);
        var (events, rollups) = await database.WriteAsync(async (connection, transaction) =>
        {
            var events = await connection.ExecuteAsync("DELETE FROM radiator_events WHERE ts < @before", transaction, cancellationToken, ("@before", rawBefore));
            var rollups = await connection.ExecuteAsync("DELETE FROM radiator_rollups WHERE minute < @before", transaction, cancellationToken, ("@before", rollupBefore));
            // An id outlives its raw event for as long as the roll-up that counted it.
            await connection.ExecuteAsync("DELETE FROM radiator_event_ids WHERE ts < @before", transaction, cancellationToken, ("@before", rollupBefore * 60_000));
            return (events, rollups);
        }, cancellationToken);
        Log.RetentionApplied(logger, events, rollups);
        return events;
    }

    /// <summary>Records the ids of events that carry one; drops the events whose id was recorded before.</summary>
    private static async Task<List<RadiatorEvent>> WithoutKnownIdsAsync(DbConnection connection, DbTransaction transaction, List<RadiatorEvent> events, CancellationToken cancellationToken)
    {
        if (events.TrueForAll(e => e.Id is null))
        {
            return events;
        }

        await using var insert = connection.Command("INSERT INTO radiator_event_ids (id, ts) VALUES (@id, @ts) ON CONFLICT (id) DO NOTHING", transaction);
        var id = insert.AddParameter("@id", DbType.String);
        var ts = insert.AddParameter("@ts", DbType.Int64);
        insert.Prepare();
        var fresh = new List<RadiatorEvent>(events.Count);
        foreach (var e in events)
        {
            if (e.Id is not null)
            {
                id.Value = e.Id;
                ts.Value = e.Timestamp.ToUnixTimeMilliseconds();
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    continue;
                }
            }

            fresh.Add(e);
        }

        return fresh;
    }

    private static List<MinuteRollup> Rollups(List<RadiatorEvent> events)
    {
        var rollups = new Dictionary<(string, long), MinuteRollup>();
        foreach (var e in events)
        {
            var minute = MinuteRollup.MinuteOf(e.Timestamp);
            if (!rollups.TryGetValue((e.Key, minute), out var rollup))
            {
                rollups[(e.Key, minute)] = rollup = new MinuteRollup(e.Key, minute);
            }

            rollup.Add(e);
        }

        return [.. rollups.Values];
    }

    private static async Task InsertRawAsync(DbConnection connection, DbTransaction transaction, List<RadiatorEvent> events, CancellationToken cancellationToken)
    {
        // One prepared statement for the whole batch: parsing SQL per row would dominate ingest.
        await using var insert = connection.Command("INSERT INTO radiator_events (ts, key, value, tags, message) VALUES (@ts, @key, @value, @tags, @message)", transaction);
        var ts = insert.AddParameter("@ts", DbType.Int64);
        var key = insert.AddParameter("@key", DbType.String);
        var value = insert.AddParameter("@value", DbType.Double);
        var tags = insert.AddParameter("@tags", DbType.String);
        var message = insert.AddParameter("@message", DbType.String);
        insert.Prepare();
        foreach (var e in events)
        {
            ts.Value = e.Timestamp.ToUnixTimeMilliseconds();
            key.Value = e.Key;
            value.Value = e.Value;
            tags.Value = e.Tags is { Count: > 0 } t ? EventParser.ToJson(t) : DBNull.Value;
            message.Value = (object?)e.Message ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task MergeRollupsAsync(DbConnection connection, DbTransaction transaction, IEnumerable<MinuteRollup> rollups, CancellationToken cancellationToken)
    {
        await using var select = connection.Command("SELECT count, sum, min, max, latest, histogram FROM radiator_rollups WHERE key = @key AND minute = @minute", transaction);
        var selectKey = select.AddParameter("@key", DbType.String);
        var selectMinute = select.AddParameter("@minute", DbType.Int64);
        await using var upsert = connection.Command(
            """
            INSERT INTO radiator_rollups (key, minute, count, sum, min, max, latest, histogram) VALUES (@key, @minute, @count, @sum, @min, @max, @latest, @histogram)
            ON CONFLICT (key, minute) DO UPDATE SET count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
                latest = excluded.latest, histogram = excluded.histogram
            """,
            transaction);
        var key = upsert.AddParameter("@key", DbType.String);
        var minute = upsert.AddParameter("@minute", DbType.Int64);
        var count = upsert.AddParameter("@count", DbType.Int64);
        var sum = upsert.AddParameter("@sum", DbType.Double);
        var min = upsert.AddParameter("@min", DbType.Double);
        var max = upsert.AddParameter("@max", DbType.Double);
        var latest = upsert.AddParameter("@latest", DbType.Int64);
        var histogram = upsert.AddParameter("@histogram", DbType.Binary);
        foreach (var rollup in rollups)
        {
            selectKey.Value = rollup.Key;
            selectMinute.Value = rollup.Minute;
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    rollup.Merge(reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4), (byte[])reader[5]);
                }
            }

            key.Value = rollup.Key;
            minute.Value = rollup.Minute;
            count.Value = rollup.Count;
            sum.Value = rollup.Sum;
            min.Value = rollup.Min;
            max.Value = rollup.Max;
            latest.Value = rollup.Latest;
            histogram.Value = rollup.Histogram.Encode();
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Idempotent and shared by all callers; the host may have done it already, but the store
            // must not depend on start order. A failed attempt is retried by the next caller.
            if (_initialized is null || _initialized.IsFaulted || _initialized.IsCanceled)
            {
                _initialized = database.InitializeAsync(CancellationToken.None);
            }

            return _initialized.WaitAsync(cancellationToken);
        }
    }
}
