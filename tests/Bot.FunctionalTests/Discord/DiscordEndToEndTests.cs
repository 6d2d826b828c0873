using System.Text.Json;
using ChatOps.TestCommon;

namespace ChatOps.Bot.FunctionalTests.Discord;

/// <summary>
/// Discord end to end through the interactions endpoint: the bot as a real process, Discord's REST API the
/// spec-checking peer. The run's one message is the interaction's original response, edited in place.
/// </summary>
public sealed class DiscordEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnvUpTest_IsDeferredAtOnce_AndTheOriginalResponseIsEditedInPlaceUntilUp()
    {
        await using var host = await DiscordProcessHost.StartAsync();
        var command = DiscordProcessHost.Command(DiscordProcessHost.NextId(), "up", "test");

        var answer = await host.SendAsync(command);

        Assert.Equal(5, answer["type"]!.GetValue<int>());
        var done = await host.WaitForOriginalAsync(DiscordProcessHost.Token(command), m => m.Content.Contains("**test** is up", StringComparison.Ordinal), "the original response to say test is up");
        Assert.True(done.Edits > 0, "the original response is edited in place");
        // One message shows the run: the original response, nothing posted beside it.
        Assert.Equal(done.Id, Assert.Single(host.Peer.MessagesIn(DiscordProcessHost.Channel), m => m.Content.Contains("**test**", StringComparison.Ordinal)).Id);
        Assert.Empty(host.Peer.SpecViolations);
    }

    [Fact]
    public async Task EnvDestroy_ConfirmPressed_DestroysAndEditsThePrompt()
    {
        await using var host = await DiscordProcessHost.StartAsync();
        var command = DiscordProcessHost.Command(DiscordProcessHost.NextId(), "destroy", "dev");
        await host.SendAsync(command);
        var prompt = await host.WaitForOriginalAsync(DiscordProcessHost.Token(command),
            m => DiscordProcessHost.CustomIds(m).Any(c => c.StartsWith("confirm:", StringComparison.Ordinal)), "the confirmation prompt with its Confirm button");
        var confirm = DiscordProcessHost.CustomIds(prompt).Single(c => c.StartsWith("confirm:", StringComparison.Ordinal));

        var answer = await host.SendAsync(DiscordProcessHost.Press(DiscordProcessHost.NextId(), prompt.Id, confirm), prompt.Id);

        Assert.Equal(6, answer["type"]!.GetValue<int>());
        var done = await host.WaitForOriginalAsync(DiscordProcessHost.Token(command), m => m.Content.Contains("**dev** is destroyed", StringComparison.Ordinal), "the prompt to say dev is destroyed");
        Assert.Empty(DiscordProcessHost.CustomIds(done));
        var runs = await GetRunsAsync(host, "dev");
        Assert.Equal(("destroy", "succeeded"), (runs[0].GetProperty("verb").GetString(), runs[0].GetProperty("status").GetString()));
        Assert.Empty(host.Peer.SpecViolations);
    }

    [Fact]
    public async Task SameInteractionTwice_IsDeferredTwiceAndRunsOnce()
    {
        await using var host = await DiscordProcessHost.StartAsync();
        var command = DiscordProcessHost.Command(DiscordProcessHost.NextId(), "up", "test");

        var first = await host.SendAsync(command);
        var again = await host.SendAsync(command);

        Assert.Equal((5, 5), (first["type"]!.GetValue<int>(), again["type"]!.GetValue<int>()));
        await host.WaitForOriginalAsync(DiscordProcessHost.Token(command), m => m.Content.Contains("**test** is up", StringComparison.Ordinal), "test to be up");
        Assert.Single(await GetRunsAsync(host, "test"));
        Assert.Empty(host.Peer.SpecViolations);
    }

    [Fact]
    public async Task TokenNoLongerUsable_TheRunsMessageIsPostedAndEditedWithTheBotToken()
    {
        await using var host = await DiscordProcessHost.StartAsync(new Dictionary<string, string> { ["Discord__InteractionTokenLifetime"] = "00:00:00" });
        var command = DiscordProcessHost.Command(DiscordProcessHost.NextId(), "up", "test");

        await host.SendAsync(command);

        var done = await host.WaitForMessageAsync(m => m.Content.Contains("**test** is up", StringComparison.Ordinal), "the run's message to say test is up");
        Assert.Null(done.InteractionToken);
        Assert.True(done.Edits > 0, "the message is edited in place");
        Assert.Contains(host.Peer.Requests, r => r.Method == "PATCH" && r.Path.StartsWith("/channels/" + DiscordProcessHost.Channel + "/messages/" + done.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Peer.Requests, r => r.Path.Contains("@original", StringComparison.Ordinal));
        Assert.Empty(host.Peer.SpecViolations);
    }

    private static async Task<List<JsonElement>> GetRunsAsync(DiscordProcessHost host, string environment)
    {
        var json = await host.Bot.Http.GetStringAsync($"/api/runs?env={environment}", Ct);
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
