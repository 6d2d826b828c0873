using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// The same inbound delivery received twice (a platform retry) runs once, because the inbox keeps each
/// delivery id once; and one handled twice all the same is answered once, because the reply's outbox
/// key is the delivery's.
/// </summary>
public sealed class RedeliveryTests : HostTest
{
    private static readonly ChatDestination Ops = new("webchat", "ops");

    private ChatDispatcher Dispatcher => Factory.Services.GetRequiredService<ChatDispatcher>();

    private IChatInbox Inbox => Factory.Services.GetRequiredService<IChatInbox>();

    private static ChatRequest Request(string deliveryId, string text) =>
        new(Ops, new ChatUser("webchat", "carol"), text, deliveryId);

    /// <summary>
    /// Waits for the answer to a later command, so everything queued before it has been delivered, and
    /// returns the bot's other messages.
    /// </summary>
    private async Task<List<ChatMessage>> RepliesBeforeMarkerAsync()
    {
        // Through the inbox, which runs one person's commands in order: the marker comes after theirs.
        await Inbox.ReceiveAsync(Request("webchat:marker", "/env lock test"), TestContext.Current.CancellationToken);
        var marker = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("*test*", StringComparison.Ordinal)));
        return [.. (await Chat.MessagesAsync()).Where(m => m.User == "bot" && m.Id != marker.Id)];
    }

    [Fact]
    public async Task ReceiveAsync_SameDeliveryTwice_RunsAndRepliesOnce()
    {
        var request = Request("webchat:redelivered-1", "/env lock dev demo");

        Assert.Equal(InboxAdmission.Accepted, await Inbox.ReceiveAsync(request, TestContext.Current.CancellationToken));
        Assert.Equal(InboxAdmission.Duplicate, await Inbox.ReceiveAsync(request, TestContext.Current.CancellationToken));

        var reply = Assert.Single(await RepliesBeforeMarkerAsync());
        Assert.Contains("*dev*", reply.Text, StringComparison.Ordinal);
        Assert.Single((await Chat.GetJsonAsync("/api/audit?env=dev")).EnumerateArray());
    }

    [Fact]
    public async Task HandleAsync_DeliveryHandledTwice_StillRepliesOnce()
    {
        var request = Request("webchat:redelivered-2", "/env status dev");

        // Past the inbox, as if its record had not survived: the command runs again, its reply does not.
        await Dispatcher.HandleAsync(request, TestContext.Current.CancellationToken);
        await Dispatcher.HandleAsync(request, TestContext.Current.CancellationToken);

        var reply = Assert.Single(await RepliesBeforeMarkerAsync());
        Assert.Contains("dev", reply.Text, StringComparison.Ordinal);
    }
}
