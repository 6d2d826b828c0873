using System.Net;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>"Did you mean …?" and "Which environment?" offer buttons that run the command as the person asked, through the typed path.</summary>
public sealed class OfferedButtonTests : HostTest
{
    [Fact]
    public async Task MisspeltVerb_OffersTheCorrectedCommand_AndPressingItAnswersTheStatus()
    {
        var asked = await Chat.SayAsync("carol", "/env stauts test");
        var suggestion = await Chat.BotReplyAsync(asked, m => m.Text.Contains("Did you mean `status`?"));
        var button = Assert.Single(suggestion.Buttons);
        Assert.Equal("/env status test", button.Label);

        var press = await Chat.PressAsync("carol", suggestion.Id, button.ActionId);

        Assert.Equal(HttpStatusCode.Accepted, press.StatusCode);
        await Chat.BotReplyAsync(suggestion.Id, m => m.Text.Contains("*test*") && m.Text.Contains("(Local provider)"));
    }

    [Fact]
    public async Task MissingEnvironment_OffersOnlyTheEnvironmentsThePersonMayUse()
    {
        var carols = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up"), m => m.Text.Contains("Which environment"));
        var alices = await Chat.BotReplyAsync(await Chat.SayAsync("alice", "/env up"), m => m.Text.Contains("Which environment"));

        // prod needs the ops role to change: carol, a member, is not offered it; alice, in ops, is.
        Assert.Equal(["dev", "test"], carols.Buttons.Select(b => b.Label));
        Assert.Equal(["dev", "prod", "test"], alices.Buttons.Select(b => b.Label));
    }

    [Fact]
    public async Task PressingAnEnvironment_AnswersTheQuestion_AndStartsTheRun()
    {
        var question = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up"), m => m.Text.Contains("Which environment"));

        await Chat.PressAsync("carol", question.Id, question.Buttons.Single(b => b.Label == "test").ActionId);

        await Chat.BotReplyAsync(question.Id, m => m.Text.Contains("*test* is up"));
        var run = Assert.Single((await Chat.GetJsonAsync("/api/runs?env=test")).EnumerateArray());
        Assert.Equal("carol", run.GetProperty("requester").GetString());

        // The question was answered: its buttons are gone, the message says what was chosen, and nothing else runs.
        var answered = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == question.Id && m.Buttons.Count == 0));
        Assert.Contains("carol chose `/env up test`", answered.Context);
        var again = await Chat.PressAsync("carol", question.Id, question.Buttons.Single(b => b.Label == "dev").ActionId);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Empty((await Chat.GetJsonAsync("/api/runs?env=dev")).EnumerateArray());
    }

    [Fact]
    public async Task PressingAnEnvironment_ForARiskyVerb_AsksToConfirmFirst()
    {
        var question = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env destroy"), m => m.Text.Contains("Which environment"));

        await Chat.PressAsync("carol", question.Id, question.Buttons.Single(b => b.Label == "dev").ActionId);

        // The same confirmation as typing `/env destroy dev`: nothing is destroyed until carol confirms.
        var prompt = await Chat.BotReplyAsync(question.Id, m => m.Buttons.Any(b => b.ActionId.StartsWith("confirm:", StringComparison.Ordinal)));
        Assert.Contains("dev", prompt.Text);
        Assert.Equal("awaiting-confirmation", (await Chat.GetJsonAsync("/api/runs?env=dev"))[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task TypedAnswer_TakesTheQuestionsButtonsOff()
    {
        var question = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up"), m => m.Text.Contains("Which environment"));

        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "test"), m => m.Text.Contains("*test* is up"));

        var answered = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == question.Id && m.Buttons.Count == 0));
        Assert.Contains("carol answered by typing", answered.Context);
        var late = await Chat.PressAsync("carol", question.Id, question.Buttons.Single(b => b.Label == "dev").ActionId);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task PressBySomeoneElse_IsRefusedAndRunsNothing()
    {
        var question = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up"), m => m.Text.Contains("Which environment"));

        await Chat.PressAsync("dave", question.Id, question.Buttons.Single(b => b.Label == "test").ActionId);

        var refusal = await Chat.WaitForAsync(ms => ms.Single(m => m.Id == question.Id).Replies.FirstOrDefault(r => r.Text.Contains("offered to carol")));
        Assert.Contains("type `/env up test`", refusal.Text);
        Assert.Empty((await Chat.GetJsonAsync("/api/runs")).EnumerateArray());

        // carol's own press still works: a refused press spends nothing.
        await Chat.PressAsync("carol", question.Id, question.Buttons.Single(b => b.Label == "test").ActionId);
        await Chat.BotReplyAsync(question.Id, m => m.Text.Contains("*test* is up"));
    }

    [Fact]
    public async Task PressedCorrection_GoesThroughPermission_LikeTypedText()
    {
        // carol may not change prod: the corrected command is refused exactly as if she had typed it.
        var suggestion = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up prdo"), m => m.Buttons.Count > 0);
        Assert.Equal("/env up prod", Assert.Single(suggestion.Buttons).Label);

        await Chat.PressAsync("carol", suggestion.Id, suggestion.Buttons[0].ActionId);

        // The refusal is carol's alone, as if she had typed the command.
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Seq > ChatApi.Seq(suggestion.Id) && m.Text.Contains("needs the *ops* role")), viewer: "carol");
        Assert.Empty((await Chat.GetJsonAsync("/api/runs")).EnumerateArray());
    }

    [Fact]
    public async Task Press_FromAnotherMessage_IsRefusedAndRunsNothing()
    {
        var question = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up"), m => m.Text.Contains("Which environment"));
        var other = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env list"));
        var dispatcher = Factory.Services.GetRequiredService<ChatDispatcher>();

        // A correctly signed press of carol's own button, but on a message that does not carry it.
        await dispatcher.HandleAsync(new ChatAction(new ChatDestination("webchat", "ops"), new ChatUser("webchat", "carol"), other.Id,
            question.Buttons.Single(b => b.Label == "test").ActionId, "press-on-list"), TestContext.Current.CancellationToken);

        await Chat.WaitForAsync(ms => ms.Single(m => m.Id == other.Id).Replies.FirstOrDefault(r => r.Text.Contains("that button is not on this message")), viewer: "carol");
        Assert.Empty((await Chat.GetJsonAsync("/api/runs")).EnumerateArray());
    }
}
