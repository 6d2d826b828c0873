using System.Diagnostics;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// A node that dies outside a run is announced once (in the environment's channel and #deploys), the
/// environment reads degraded, a restart of the bot announces nothing twice, and the same message says
/// recovered once the node is back.
/// </summary>
public sealed class DriftTests : IDisposable
{
    private static readonly Dictionary<string, string> FastWatch = new() { ["Watch__Interval"] = "00:00:00.300" };

    private readonly BotRoot _root = new("chatops-drift-");

    [Fact]
    public async Task NodeKilledOutsideARun_OneDegradedNoticeAcrossARestart_EditedToRecoveredWhenBack()
    {
        ChatMessage notice;
        await using (var bot = await BotProcess.StartAsync(_root.Path, FastWatch))
        {
            await bot.Chat.BotReplyAsync(await bot.Chat.SayAsync("carol", "/env up test"), m => m.Text.Contains("*test* is up"));
            var web1 = (await bot.Chat.GetJsonAsync("/api/environments/test")).GetProperty("nodes").EnumerateArray()
                .Single(n => n.GetProperty("name").GetString() == "web1").GetProperty("processId").GetInt32();

            using (var node = Process.GetProcessById(web1))
            {
                node.Kill(); // from outside the bot, as a crash or an OOM killer would
            }

            notice = await bot.Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("*test* degraded: web1 stopped responding")), channel: "deploys");
            await bot.Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("*test* degraded: web1 stopped responding")));
            Assert.Equal("degraded", (await bot.Chat.GetJsonAsync("/api/environments/test")).GetProperty("state").GetString());
            var status = await bot.Chat.BotReplyAsync(await bot.Chat.SayAsync("carol", "/env status test"));
            Assert.StartsWith("*test* is degraded", status.Text, StringComparison.Ordinal);
            Assert.Contains("web1 stopped responding", status.Text, StringComparison.Ordinal);

            await bot.InterruptAsync(TimeSpan.FromSeconds(10));
        }

        await using var restarted = await BotProcess.StartAsync(_root.Path, FastWatch);
        // The watch has looked at test after the restart and found its incident already announced.
        await Wait.UntilAsync(() => restarted.Output.Contains("opened before this start", StringComparison.Ordinal), "the watch to find the incident announced before the restart",
            lastSeen: () => restarted.Output);
        Assert.Single(await restarted.Chat.MessagesAsync("deploys"), m => m.Text.Contains("*test* degraded"));
        Assert.Single(await restarted.Chat.MessagesAsync(), m => m.Text.Contains("*test* degraded"));

        await restarted.Chat.BotReplyAsync(await restarted.Chat.SayAsync("carol", "/env up test"), m => m.Text.Contains("*test* is up"));
        var recovered = await restarted.Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == notice.Id && m.Text.Contains("*test* recovered: web1 is back")), channel: "deploys");
        Assert.True(recovered.Version > notice.Version, "the notice is edited, not posted again");
        Assert.Single(await restarted.Chat.MessagesAsync("deploys"), m => m.Text.Contains("*test* degraded") || m.Text.Contains("*test* recovered"));
        Assert.Equal("up", (await restarted.Chat.GetJsonAsync("/api/environments/test")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Start_WatchIntervalOfZero_IsRefusedNamingTheSetting()
    {
        var (code, _, error) = await BotProcess.RunUntilExitAsync(_root.Path, $"http://127.0.0.1:{BotProcess.FreePort()}",
            new Dictionary<string, string> { ["Watch__Interval"] = "00:00:00" });

        Assert.Equal(2, code);
        Assert.Contains("Interval", error, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Dispose();
}
