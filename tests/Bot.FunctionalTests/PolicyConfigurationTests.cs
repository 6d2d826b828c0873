using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>Policy and providers from configuration only: who sees which verbs, and a Command environment that fails.</summary>
public sealed class PolicyConfigurationTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    // destroy needs ops everywhere, so members never see it.
    ["Environments:dev:Policy:VerbRoles:destroy"] = "ops",
    ["Environments:test:Policy:VerbRoles:destroy"] = "ops",
    ["Environments:staging:Policy:VerbRoles:destroy"] = "ops",
    // Roles from configuration, as an environment variable would give them.
    ["Identity:Roles:ops:2"] = "webchat:erin",
    // A Command environment whose program fails: the run must fail with its output, lease released.
    ["Environments:staging:Provider"] = "Command",
    ["Environments:staging:LoadBalancer"] = "None",
    ["Environments:staging:Nodes:0"] = "app",
    ["Environments:staging:Command:Up:Program"] = "ls",
    ["Environments:staging:Command:Up:Arguments:0"] = "/definitely/not/here-{env}",
    ["Environments:staging:Command:Up:Timeout"] = "00:00:30",
}))
{
    [Fact]
    public async Task HelpAndAutocomplete_ShowOnlyWhatTheUserMayRun()
    {
        var member = (await Chat.GetJsonAsync("/api/chat/commands?user=carol")).EnumerateArray().Select(c => c.GetProperty("verb").GetString()).ToList();
        var ops = (await Chat.GetJsonAsync("/api/chat/commands?user=erin")).EnumerateArray().Select(c => c.GetProperty("verb").GetString()).ToList();
        var help = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "help"));

        Assert.DoesNotContain("destroy", member);
        Assert.Contains("up", member);
        Assert.Contains("destroy", ops);
        Assert.DoesNotContain("/env destroy", help.Text);
        Assert.Contains("/env up", help.Text);
    }

    [Fact]
    public async Task CommandProvider_FailingProgram_FailsTheRunWithItsOutput()
    {
        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up staging"), m => m.Text.StartsWith('❌'));

        Assert.Contains("Bringing staging up failed", reply.Text);
        var run = (await Chat.GetJsonAsync("/api/runs?env=staging"))[0];
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains(run.GetProperty("output").EnumerateArray(), l => l.GetString()!.Contains("/definitely/not/here-staging"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await Chat.GetJsonAsync("/api/environments/staging")).GetProperty("lease").ValueKind);
    }
}
