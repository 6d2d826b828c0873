using ChatOps.Bot.FunctionalTests.Infrastructure;

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

        await chat.WaitForAsync(ms => ms.Count(m => m.User == "bot") == 20 ? ms[0] : null);
        var runs = (await chat.GetJsonAsync("/api/runs?env=test")).EnumerateArray().ToList();
        Assert.Single(runs);
        var replies = (await chat.MessagesAsync()).Where(m => m.User == "bot").ToList();
        Assert.Equal(19, replies.Count(m => m.Text.Contains("has been provisioning test for")));
        var finished = await chat.FinishedRunAsync(runs[0].GetProperty("id").GetInt64());
        Assert.Equal("succeeded", finished.GetProperty("status").GetString());
    }
}
