using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon.Processes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.FunctionalTests.BadInput;

/// <summary>
/// A state store that cannot be written. Tests run as root, where a chmod'ed folder is still writable,
/// so "full" is the store's own size cap (SQLite's max_page_count, the same SQLITE_FULL a full disk
/// gives) and "read-only" is a database opened with <c>Mode=ReadOnly</c> or a data folder that is a file.
/// </summary>
public sealed class StorageFaultTests : HostTest
{
    [Fact]
    public async Task Write_StoreFull_Is507AndUnhealthyUntilAWriteSucceeds()
    {
        var http = Chat.Http;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);

        // Capped at 64 KiB, which is below what the store already holds: not one more page fits.
        SetMaxSize("65536");
        var full = await PostEventsAsync(http, 500);
        var fullBody = await full.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var unhealthy = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InsufficientStorage, full.StatusCode);
        Assert.Equal("application/problem+json", full.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(fullBody))
        {
            Assert.Equal(507, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains("Nothing was saved: the state store is full", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            // Where the data lives is for the host's log, not for every client.
            Assert.DoesNotContain(".db", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);

        SetMaxSize(null);
        var room = await PostEventsAsync(http, 500);
        var healthy = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, room.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task Start_DataFolderIsAFile_ExitsWithOneLineNamingIt()
    {
        var notAFolder = Path.Combine(Factory.Root, "not-a-folder");
        await File.WriteAllTextAsync(notAFolder, "a file where the data folder should be", TestContext.Current.CancellationToken);

        var (exitCode, output) = await RunBotAsync($"Data Source={Path.Combine(notAFolder, "chatops.db")}");

        Assert.Equal(BotRunner.CannotStart, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("chatops:", StringComparison.Ordinal));
        Assert.StartsWith($"chatops: cannot use the data folder {notAFolder} (state store chatops.db):", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_StoreReadOnly_ExitsWithOneLineSayingSo()
    {
        var database = Path.Combine(Factory.Root, "readonly", "chatops.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE earlier (id INTEGER)";
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var (exitCode, output) = await RunBotAsync($"Data Source={database};Mode=ReadOnly");

        Assert.Equal(BotRunner.CannotStart, exitCode);
        Assert.Contains($"chatops: cannot use the data folder {Path.GetDirectoryName(database)} (state store chatops.db): the state store is read-only.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private void SetMaxSize(string? bytes)
    {
        // Read again for each new connection: change the setting and drop the cached options.
        Factory.Services.GetRequiredService<IConfiguration>()["Storage:MaxSizeBytes"] = bytes ?? "";
        Factory.Services.GetRequiredService<IOptionsMonitorCache<StorageOptions>>().TryRemove(Options.DefaultName);
    }

    private static Task<HttpResponseMessage> PostEventsAsync(HttpClient http, int count)
    {
        var now = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var lines = Enumerable.Range(0, count).Select(i => $"{{\"timestamp\":\"{now}\",\"key\":\"storage.k{i}\",\"message\":\"{new string('x', 400)}\"}}");
        return http.PostAsync("/api/events", new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"), TestContext.Current.CancellationToken);
    }

    /// <summary>Starts the built bot as a process on <paramref name="connectionString"/> and waits (bounded) for it to exit.</summary>
    private async Task<(int ExitCode, string Output)> RunBotAsync(string connectionString)
    {
        var (exitCode, output, error) = await BotProcess.RunUntilExitAsync(Path.Combine(Factory.Root, "process"), "http://127.0.0.1:0",
            new Dictionary<string, string> { ["Storage__ConnectionString"] = connectionString });
        return (exitCode, output + error);
    }
}
