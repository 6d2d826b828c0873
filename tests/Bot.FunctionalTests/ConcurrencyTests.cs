using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// Many identical requests at once make exactly one run. Nodes take two seconds to warm up, so the
/// one run still holds the lease while all twenty requests are handled, whatever the machine's speed.
/// </summary>
public sealed class ConcurrencyTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    ["Local:NodeProgram"] = BotProcess.DotnetHost,
    ["Local:NodeArguments:0"] = BotProcess.BotAssembly,
    ["Local:NodeArguments:1"] = "node",
    ["Local:NodeArguments:2"] = "--warmup",
    ["Local:NodeArguments:3"] = "2",
}))
{
    [Fact]
    public async Task TwentyIdenticalProvisions_CreateExactlyOneRun()
    {
        var chat = Chat;
        var users = Enumerable.Range(0, 20).Select(i => $"user{i}").ToList();

        await Task.WhenAll(users.Select(u => chat.SayAsync(u, "/env provision test version=7")));

        // Each refusal is for its asker alone; the run's message is for everyone.
        List<ChatMessage> refusals = [];
        await Wait.UntilAsync(
            async () =>
            {
                var views = await Task.WhenAll(users.Select(u => chat.MessagesAsync(viewer: u)));
                refusals = [.. views.SelectMany(ms => ms.Where(m => m.User == "bot" && m.VisibleTo is not null))];
                return refusals.Count == 19;
            },
            "a refusal for each asker but the one whose run it is",
            within: TimeSpan.FromMinutes(1),
            lastSeen: () => string.Join("\n", refusals.Select(m => $"{m.VisibleTo}: {m.Text}")));
        var runs = (await chat.GetJsonAsync("/api/runs?env=test")).EnumerateArray().ToList();
        Assert.Single(runs);
        Assert.All(refusals, m => Assert.Contains("has been provisioning test for", m.Text));
        Assert.Equal(19, refusals.Select(m => m.VisibleTo).Distinct().Count());
        Assert.Single(await chat.MessagesAsync(), m => m.User == "bot");
        var finished = await chat.FinishedRunAsync(runs[0].GetProperty("id").GetInt64());
        Assert.Equal("succeeded", finished.GetProperty("status").GetString());
    }
}
