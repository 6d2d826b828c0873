using System.Text.RegularExpressions;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon.Processes;
using Microsoft.Data.Sqlite;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// The real process on databases from other builds: one written before versioned migrations is adopted
/// where it lies with nothing lost; one migrated by a newer build stops the start with both versions named.
/// </summary>
public sealed partial class SchemaVersionTests : IDisposable
{
    // Every column of every table (but the version record and SQLite's own), and every index, in one comparable list.
    /// <summary>What migrations after the baseline add to the release's own tables, each with its migration.</summary>
    private static readonly string[] AddedAfterBaseline =
    [
        "runs.replica ", "leases.replica ", // 18 runs held by a replica
        "inbox.replica ", // 19 inbox deliveries held by a replica
        "webchat_messages.revision ", "index ix_webchat_revision on webchat_messages: ", // 20 web chat revisions
        "index ix_chat_outbox_claim on chat_outbox: ", "index ix_chat_outbox_edits_claim on chat_outbox_edits: ", // 22 chat outbox claim order
        "radiator_alerts.due_at ", "index radiator_alerts_due on radiator_alerts: ", // 24 alert due times
        "radiator_alerts.starts_at ", "index radiator_alerts_firing_since on radiator_alerts: ", // 25 alert start times
        "index ix_chat_outbox_digested on chat_outbox: ", // 28 chat outbox digest index for digested rows only
        "index ix_webchat_replies on webchat_messages: ", // 29 web chat thread index for replies only
        "index ix_inbox_lane_finished on inbox: ", // 30 inbox finishes by lane, of deliveries that ran
    ];

    /// <summary>What the release had that a later migration replaced, so it is missing from today's schema.</summary>
    private static readonly string[] DroppedAfterBaseline =
    [
        "index ix_chat_outbox_live on chat_outbox: ", "index ix_chat_outbox_edits_live on chat_outbox_edits: ", // 22 chat outbox claim order
        "index ix_chat_outbox_digested_into on chat_outbox: ", // 28 chat outbox digest index for digested rows only
        "index ix_webchat_thread on webchat_messages: ", // 29 web chat thread index for replies only
    ];

    private const string SchemaShape = """
        SELECT m.name || '.' || p.name || ' ' || p.type || ' notnull=' || p."notnull" || ' default=' || coalesce(p.dflt_value, '-') || ' pk=' || p.pk
        FROM sqlite_master m JOIN pragma_table_info(m.name) p
        WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name <> 'schema_migrations'
        UNION ALL
        SELECT 'index ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, 'automatic') FROM sqlite_master WHERE type = 'index'
        ORDER BY 1
        """;

    // A database whose recorded version no build of today knows.
    private const string NewerBuildDatabase = """
        CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
        INSERT INTO schema_migrations VALUES (9999, 'from a newer build', 0);
        """;

    private readonly BotRoot _root = new("chatops-schema-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public async Task Start_DatabaseWrittenBeforeVersioning_AdoptedInPlaceWithNothingLost()
    {
        await ExecuteAsync(await File.ReadAllTextAsync(Fixture("todays-main.sql"), Ct));
        // The key the fixture's audit trail was chained with, owner-only as the bot keeps it.
        File.Copy(Fixture("todays-main.audit.key"), Path.Combine(_root.Path, "audit.key"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(_root.Path, "audit.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Copy(Fixture("todays-main.audit-heads.log"), Path.Combine(_root.Path, "audit-heads.log"));
        var before = await RowCountsAsync();

        await using (var bot = await BotProcess.StartAsync(_root.Path))
        {
            var run = await bot.Chat.GetJsonAsync("/api/runs/1");
            Assert.Equal(("prod", "destroy", "alice"), (run.GetProperty("environment").GetString(), run.GetProperty("verb").GetString(), run.GetProperty("requester").GetString()));
            Assert.Contains(await bot.Chat.MessagesAsync(), m => m.User == "alice" && m.Text == "/env status dev");
            var verified = await bot.Chat.GetJsonAsync("/api/audit/verify");
            Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
            Assert.True(verified.GetProperty("records").GetInt64() >= 2, verified.ToString());
            await bot.InterruptAsync(TimeSpan.FromSeconds(30));
        }

        var after = await RowCountsAsync();
        Assert.All(before, table => Assert.True(after[table.Key] >= table.Value, $"{table.Key}: {table.Value} rows before, {after[table.Key]} after"));
        Assert.Equal(Enumerable.Range(1, Migration.Baseline), await QueryAsync($"SELECT number FROM schema_migrations WHERE number <= {Migration.Baseline} ORDER BY number", r => r.GetInt32(0)));
    }

    [Fact]
    public async Task Start_EmptyFolder_MigrationsBuildTheSchemaOfTheReleaseBeforeVersioningExactly()
    {
        await using (var bot = await BotProcess.StartAsync(_root.Path))
        {
            await bot.InterruptAsync(TimeSpan.FromSeconds(30));
        }

        var created = await QueryAsync(SchemaShape, Describe);
        var before = Path.Combine(_root.Path, "before.db");
        await ExecuteAsync(await File.ReadAllTextAsync(Fixture("todays-main.sql"), Ct), before);

        // Tables and columns added by migrations after the baseline are not in that release; every table it had must be built exactly.
        var releaseTables = await QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table'", Describe, before);
        var baseline = created.Where(row => releaseTables.Any(t => row.StartsWith($"{t}.", StringComparison.Ordinal) || row.Contains($" on {t}: ", StringComparison.Ordinal)))
            .Where(row => !AddedAfterBaseline.Any(added => row.StartsWith(added, StringComparison.Ordinal))).ToList();
        var release = (await QueryAsync(SchemaShape, Describe, before)).Where(row => !DroppedAfterBaseline.Any(dropped => row.StartsWith(dropped, StringComparison.Ordinal)));
        Assert.Equal(release, baseline);
        Assert.DoesNotContain(created, row => DroppedAfterBaseline.Any(dropped => row.StartsWith(dropped, StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(1, Migration.Baseline), await QueryAsync($"SELECT number FROM schema_migrations WHERE number <= {Migration.Baseline} ORDER BY number", r => r.GetInt32(0)));
    }

    [Fact]
    public async Task Start_DatabaseFromANewerBuild_ExitsWithOneLineNamingBothVersions()
    {
        await ExecuteAsync(NewerBuildDatabase);

        var (exitCode, output, error) = await BotProcess.RunUntilExitAsync(_root.Path, "http://127.0.0.1:0");

        Assert.Equal(BotRunner.CannotStart, exitCode);
        var line = Assert.Single((output + error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("chatops:", StringComparison.Ordinal));
        var match = NewerBuild().Match(line);
        Assert.True(match.Success, line);
        Assert.StartsWith($"chatops: cannot use the data folder {_root.Path} (state store state.db):", line, StringComparison.Ordinal);
        Assert.True(int.Parse(match.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture) >= Migration.Baseline, line);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        Assert.Equal([9999], await QueryAsync("SELECT number FROM schema_migrations", r => r.GetInt32(0)));
    }

    [Fact]
    public async Task AuditVerify_DatabaseFromANewerBuild_ExitsWithOneLineNamingBothVersions()
    {
        await ExecuteAsync(NewerBuildDatabase);
        var (exitCode, output, error) = await BotProcess.RunCommandAsync(_root.Path, "audit", "verify");

        Assert.Equal(BotRunner.CannotStart, exitCode);
        var all = output + error;
        var line = Assert.Single(all.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("chatops:", StringComparison.Ordinal));
        Assert.Matches(NewerBuild(), line);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
    }

    /// <summary>Columns later migrations add to baseline tables: 18 (runs held by a replica), 19 (inbox deliveries held by a replica).</summary>
    public void Dispose() => _root.Dispose();

    [GeneratedRegex(@"the state store's schema is version 9999, newer than this build knows \(version (?<code>\d+)\); run the build that wrote it, or a newer one\.$")]
    private static partial Regex NewerBuild();

    private static string Describe(SqliteDataReader r) => r.GetString(0);

    private async Task ExecuteAsync(string sql, string? database = null)
    {
        await using var connection = new SqliteConnection($"Data Source={database ?? _root.StateDatabase};Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, string? database = null)
    {
        await using var connection = new SqliteConnection($"Data Source={database ?? _root.StateDatabase};Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var results = new List<T>();
        while (await reader.ReadAsync(Ct))
        {
            results.Add(map(reader));
        }

        return results;
    }

    private async Task<Dictionary<string, long>> RowCountsAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in await QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'", r => r.GetString(0)))
        {
            counts[table] = (await QueryAsync($"SELECT count(*) FROM \"{table}\"", r => r.GetInt64(0)))[0];
        }

        return counts;
    }
}
