using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// A command that only reads is kept as done with its answer, in the transaction that keeps it, before the post is
/// acknowledged. One that changes something, one whose answer is slow, and one sent while the inbox is paused take the
/// queue (claimed, run, closed) and are answered once all the same.
/// </summary>
public sealed class QueryAnswerTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    // An environment whose state takes its provider three seconds to tell: longer than a post waits for its answer.
    ["Environments:slow:Provider"] = "Command",
    ["Environments:slow:LoadBalancer"] = "None",
    ["Environments:slow:Nodes:0"] = "app",
    ["Environments:slow:Command:Status:Program"] = "sleep",
    ["Environments:slow:Command:Status:Arguments:0"] = "3",
}))
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // Before start-up has closed what a stopped process left, everything takes the queue.
        await Factory.Services.GetRequiredService<ReadinessGate>().WaitAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Status_IsStoredWithTheRequest_AndNeverClaimed()
    {
        var asked = await Chat.SayAsync("carol", "/env status test");

        // Listed as soon as the post is acknowledged: no worker had to run it.
        var answers = (await Chat.MessagesAsync()).Where(m => m.User == "bot" && m.Seq > ChatApi.Seq(asked)).ToList();
        Assert.Contains("*test* is", Assert.Single(answers).Text);
        Assert.Equal(new InboxRow("done", Claimed: false), await InboxRowAsync(asked));
    }

    [Fact]
    public async Task SlowStatus_TakesTheQueue_AndIsAnsweredOnce()
    {
        var asked = await Chat.SayAsync("carol", "/env status slow");

        var answer = await Chat.BotReplyAsync(asked);

        Assert.Contains("*slow*", answer.Text);
        Assert.Equal(new InboxRow("done", Claimed: true), await InboxRowAsync(asked));
        Assert.Single(await Chat.MessagesAsync(), m => m.User == "bot" && m.Seq > ChatApi.Seq(asked));
    }

    [Fact]
    public async Task Lock_ChangesSomething_SoTakesTheQueue()
    {
        var asked = await Chat.SayAsync("carol", "/env lock dev");

        await Chat.BotReplyAsync(asked);

        Assert.Equal(new InboxRow("done", Claimed: true), await InboxRowAsync(asked));
    }

    private sealed record InboxRow(string State, bool Claimed);

    /// <summary>The inbox row of web chat message <paramref name="messageId"/> once it is done, and whether a worker claimed it.</summary>
    private Task<InboxRow> InboxRowAsync(string messageId) =>
        Wait.ForAsync(() => Factory.Services.GetRequiredService<StateDatabase>().ReadAsync(async c =>
        {
            var rows = await c.QueryAsync("SELECT state, started_at FROM inbox WHERE delivery_id = @id", null, r => new InboxRow(r.GetString(0), !r.IsDBNull(1)),
                TestContext.Current.CancellationToken, ("@id", $"webchat:{messageId}"));
            return rows is [{ State: "done" } row] ? row : null;
        }, TestContext.Current.CancellationToken), $"the inbox row of {messageId} done");
}
