using System.Net;
using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests.Slack;

/// <summary>
/// A press counts only from the message that carries the button: the same decision pressed from
/// another platform or another channel, even correctly signed and by someone allowed to answer it,
/// changes nothing and says why.
/// </summary>
public sealed class ButtonBindingTests : IAsyncLifetime
{
    private SlackHost _host = null!;

    // U0BOB holds ops on Slack, so only where the press comes from can stop it approving.
    public async ValueTask InitializeAsync() => _host = await SlackHost.StartAsync(new Dictionary<string, string?> { ["Identity:Roles:ops:2"] = "slack:U0BOB" });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private Infrastructure.ChatApi Chat => _host.Factory.Chat;

    private async Task<string> ProdStatusAsync() => (await Chat.GetJsonAsync("/api/runs?env=prod"))[0].GetProperty("status").GetString()!;

    /// <summary>alice asks to destroy prod in the web chat and confirms: the approval waits on the web chat message.</summary>
    private async Task<Infrastructure.ChatMessage> WebChatApprovalAsync()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("alice", "/env destroy prod"), m => m.Buttons.Count > 0);
        await Chat.PressAsync("alice", prompt.Id, prompt.Action("confirm:"));
        return await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Buttons.Any(b => b.ActionId.StartsWith("approve:", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task SignedSlackPress_ForAWebChatApproval_IsRefusedAndTheDecisionStaysPending()
    {
        var approval = await WebChatApprovalAsync();
        await _host.Slack.SlashCommandAsync("U0BOB", SlackHost.Channel, "/env", "list", userName: "bob");
        var elsewhere = await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.ThreadTs is null));

        var response = await _host.Slack.PressAsync("U0BOB", SlackHost.Channel, elsewhere.Ts, approval.Action("approve:"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _host.WaitForEphemeralAsync(m => m.VisibleTo == "U0BOB" && m.ThreadTs == elsewhere.Ts && m.Text.Contains("that button is not on this message"));
        Assert.Equal("awaiting-approval", await ProdStatusAsync());
        var refused = (await Chat.GetJsonAsync("/api/audit")).EnumerateArray().Single(a => a.GetProperty("action").GetString() == "press-refused");
        Assert.Equal("slack:U0BOB", refused.GetProperty("actorId").GetString());

        // The button on the message itself still works.
        await Chat.PressAsync("bob", approval.Id, approval.Action("approve:"));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == approval.Id && m.Text.Contains("*prod* is destroyed")));
    }

    [Fact]
    public async Task WebChatPress_FromAnotherChannel_IsRefusedAndTheDecisionStaysPending()
    {
        var approval = await WebChatApprovalAsync();
        var asked = Infrastructure.ChatApi.Seq(await Chat.SayAsync("bob", "/env list", channel: "deploys"));
        var elsewhere = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Seq > asked), channel: "deploys");
        var dispatcher = _host.Factory.Services.GetRequiredService<ChatDispatcher>();

        // Straight to the dispatcher, as an adapter would hand over a press on a message in deploys (the web chat's own endpoint also refuses it earlier).
        await dispatcher.HandleAsync(new ChatAction(new ChatDestination("webchat", "deploys"), new ChatUser("webchat", "bob"), elsewhere.Id,
            approval.Action("approve:"), "press-from-deploys"), TestContext.Current.CancellationToken);

        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == elsewhere.Id)?.Replies.FirstOrDefault(r => r.Text.Contains("that button is not on this message")), channel: "deploys", viewer: "bob");
        Assert.Equal("awaiting-approval", await ProdStatusAsync());
        await dispatcher.HandleAsync(new ChatAction(new ChatDestination("webchat", "ops"), new ChatUser("webchat", "bob"), approval.Id,
            approval.Action("approve:"), "press-from-ops"), TestContext.Current.CancellationToken);
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == approval.Id && m.Text.Contains("*prod* is destroyed")));
    }

    [Fact]
    public async Task WebChatPress_OnAnotherMessageInTheSameChannel_IsRefused()
    {
        var approval = await WebChatApprovalAsync();
        var other = await Chat.BotReplyAsync(await Chat.SayAsync("bob", "/env list"));
        var dispatcher = _host.Factory.Services.GetRequiredService<ChatDispatcher>();

        await dispatcher.HandleAsync(new ChatAction(new ChatDestination("webchat", "ops"), new ChatUser("webchat", "bob"), other.Id,
            approval.Action("approve:"), "press-on-list"), TestContext.Current.CancellationToken);

        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == other.Id)?.Replies.FirstOrDefault(r => r.Text.Contains("that button is not on this message")), viewer: "bob");
        Assert.Equal("awaiting-approval", await ProdStatusAsync());
    }
}
