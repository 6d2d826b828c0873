using System.Diagnostics;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// Environments are not the bot's children: Ctrl-C stops the bot promptly even with a web chat
/// listening, its nodes keep serving, and the next start adopts them.
/// </summary>
public sealed class NodesOutliveBotTests : IDisposable
{
    private readonly BotRoot _root = new("chatops-stop-");

    [Fact]
    public async Task CtrlC_WithAnOpenEventStream_StopsPromptlyLeavesNodesServingAndRestartAdoptsThem()
    {
        Dictionary<string, int> processIds;
        List<Uri> urls;
        await using (var bot = await BotProcess.StartAsync(_root.Path))
        {
            await bot.Chat.BotReplyAsync(await bot.Chat.SayAsync("carol", "/env up test"), m => m.Text.Contains("*test* is up"));
            var nodes = (await bot.Chat.GetJsonAsync("/api/environments/test")).GetProperty("nodes").EnumerateArray().ToList();
            processIds = nodes.ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("processId").GetInt32());
            urls = [.. nodes.Select(n => new Uri(n.GetProperty("url").GetString()!))];
            foreach (var (name, processId) in processIds)
            {
                // Each node leads its own session, out of reach of a signal to the bot's process group,
                // and writes to a log in its directory rather than to a pipe from the bot.
                Assert.Equal(processId, SessionOf(processId));
                Assert.True(File.Exists(Path.Combine(bot.NodesRoot, "test", name, "node.log")), $"{name} has no node.log");
            }

            // A browser's live feed, open while the bot stops.
            using var stream = await bot.Http.GetAsync("/api/chat/stream?channel=ops", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
            Assert.Equal("event: ready", await reader.ReadLineAsync(TestContext.Current.CancellationToken));

            var watch = Stopwatch.StartNew();
            await bot.InterruptAsync(TimeSpan.FromSeconds(10));
            TestContext.Current.TestOutputHelper?.WriteLine($"Stopped {watch.Elapsed.TotalSeconds:0.00} s after Ctrl-C.");
            Assert.Contains("Application is shutting down", bot.Output, StringComparison.Ordinal);
        }

        using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            foreach (var url in urls)
            {
                Assert.StartsWith("Hello from test/", await client.GetStringAsync(url, TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }
        }

        await using var restarted = await BotProcess.StartAsync(_root.Path);
        var status = await restarted.Chat.BotReplyAsync(await restarted.Chat.SayAsync("carol", "/env status test"));
        Assert.StartsWith("*test* is up", status.Text, StringComparison.Ordinal);
        var adopted = (await restarted.Chat.GetJsonAsync("/api/environments/test")).GetProperty("nodes").EnumerateArray()
            .ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("processId").GetInt32());
        Assert.Equal(processIds, adopted);
        Assert.Contains("adopted web1", restarted.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Dispose();

    /// <summary>The session id from <c>/proc/{pid}/stat</c> (the field after the process group).</summary>
    private static int SessionOf(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
