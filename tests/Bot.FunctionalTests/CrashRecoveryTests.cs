using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// kill -9 of the bot in the middle of a run, then a restart: no orphaned node process, no held
/// lease, the run interrupted and its one message saying so. And the audit CLI on the same state.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly BotRoot _root = new("chatops-crash-");

    // Nodes warm up for three seconds, so the run is reliably in flight when the bot is killed.
    private static Dictionary<string, string> SlowNodes => new()
    {
        ["Local__NodeProgram"] = BotProcess.DotnetHost,
        ["Local__NodeArguments__0"] = BotProcess.BotAssembly,
        ["Local__NodeArguments__1"] = "node",
        ["Local__NodeArguments__2"] = "--warmup",
        ["Local__NodeArguments__3"] = "3",
    };

    [Fact]
    public async Task KillDuringRun_ThenRestart_InterruptsRunReleasesLeaseAndLeavesNoOrphan()
    {
        long runId;
        string messageId;
        await using (var bot = await BotProcess.StartAsync(_root.Path, SlowNodes))
        {
            var asked = await bot.Chat.SayAsync("carol", "/env up test");
            var progress = await bot.Chat.BotReplyAsync(asked);
            messageId = progress.Id;
            await Wait.UntilAsync(() => ProcessScanner.Nodes(bot.NodesRoot).Count > 0, "the run's node processes to start");
            var run = (await bot.Chat.GetJsonAsync("/api/runs?env=test"))[0];
            runId = run.GetProperty("id").GetInt64();
            Assert.Equal("running", run.GetProperty("status").GetString());

            bot.Kill();
        }

        Assert.NotEmpty(ProcessScanner.Nodes(Path.Combine(_root.Path, "envs")));

        await using (var restarted = await BotProcess.StartAsync(_root.Path, SlowNodes))
        {
            var run = await restarted.Chat.GetJsonAsync($"/api/runs/{runId}");
            Assert.Equal("interrupted", run.GetProperty("status").GetString());
            Assert.StartsWith("the bot restarted while it ran", run.GetProperty("result").GetString());

            var environment = await restarted.Chat.GetJsonAsync("/api/environments/test");
            Assert.Equal(System.Text.Json.JsonValueKind.Null, environment.GetProperty("lease").ValueKind);
            var adopted = environment.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("processId").ValueKind == System.Text.Json.JsonValueKind.Number)
                .Select(n => n.GetProperty("processId").GetInt32()).ToHashSet();
            var alive = ProcessScanner.Nodes(restarted.NodesRoot).Select(p => p.ProcessId).ToHashSet();
            Assert.Subset(adopted, alive);

            // The outbox sends the recovery's edit after the restart; it wins over edits the crash left queued.
            var message = await restarted.Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == messageId && m.Text.Contains("was interrupted")));
            Assert.Empty(message.Buttons);
            // The steps say what the restart found, not "⬜ Start web1" under "adopted web1".
            Assert.DoesNotContain("⬜", message.Text, StringComparison.Ordinal);
            Assert.Single(await restarted.Chat.MessagesAsync(), m => m.User == "bot" && m.Context.Any(c => c.StartsWith($"run {runId} ", StringComparison.Ordinal)));
            Assert.Equal(messageId, run.GetProperty("messageId").GetString());

            // The deployment feed hears of the interrupted run once, after the restart.
            await restarted.Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("*test*: up by carol interrupted", StringComparison.Ordinal)), channel: "deploys");

            // The environment is usable again at once.
            var again = await restarted.Chat.SayAsync("carol", "/env up test");
            await restarted.Chat.BotReplyAsync(again, m => m.Text.Contains("*test* is up") || m.Text.Contains("already up"));
        }
    }

    [Fact]
    public async Task PendingConfirmation_SurvivesARestart()
    {
        string promptId;
        string action;
        await using (var bot = await BotProcess.StartAsync(_root.Path))
        {
            var prompt = await bot.Chat.BotReplyAsync(await bot.Chat.SayAsync("carol", "/env destroy dev"), m => m.Buttons.Count > 0);
            (promptId, action) = (prompt.Id, prompt.Action("confirm:"));
            bot.Kill();
        }

        await using var restarted = await BotProcess.StartAsync(_root.Path);
        using var pressed = await restarted.Chat.PressAsync("carol", promptId, action);
        Assert.True(pressed.IsSuccessStatusCode, $"The press was refused: {(int)pressed.StatusCode} {await pressed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");

        try
        {
            // As carol sees it, so an answer meant for her alone (a refusal) shows in what was last seen.
            await restarted.Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == promptId && m.Text.Contains("*dev* is destroyed")), viewer: "carol");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nThe restarted bot's log:\n{restarted.Output}", e);
        }
    }

    [Fact]
    public async Task AuditVerifyCli_ReportsValidThenTheTamperedRecord()
    {
        await using (var bot = await BotProcess.StartAsync(_root.Path))
        {
            var asked = await bot.Chat.SayAsync("carol", "/env up prod");
            await bot.Chat.BotReplyAsync(asked, m => m.Text.Contains("needs the *ops* role"));
            await bot.Chat.BotReplyAsync(await bot.Chat.SayAsync("carol", "/env lock dev demo"), m => m.Text.Contains("is yours"));
        }

        var (code, output, _) = await BotProcess.RunCommandAsync(_root.Path, "audit", "verify");
        Assert.Equal(0, code);
        Assert.Contains("Checked 2 audit records (1 to 2).", output);
        Assert.Contains($"Key: key file {Path.Combine(_root.Path, "audit.key")}.", output);
        Assert.Contains("Result: valid.", output);

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_root.StateDatabase}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit SET detail = 'nothing to see' WHERE seq = 1";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        (code, output, _) = await BotProcess.RunCommandAsync(_root.Path, "audit", "verify");
        Assert.Equal(1, code);
        Assert.Contains("Result: BROKEN at record 1:", output);
    }

    public void Dispose()
    {
        _root.Dispose();
    }
}
