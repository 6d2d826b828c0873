using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// The same inbound delivery handled twice (a platform retry, an event re-queued after a restart)
/// is answered once: the reply's outbox key is the delivery's.
/// </summary>
public sealed class RedeliveryTests : HostTest
{
    private static readonly ChatDestination Ops = new("webchat", "ops");

    private ChatDispatcher Dispatcher => Factory.Services.GetRequiredService<ChatDispatcher>();

    private static ChatRequest Request(string deliveryId, string text) =>
        new(Ops, new ChatUser("webchat", "carol"), text, deliveryId);

    /// <summary>
    /// Waits for the answer to a later command, so everything queued before it has been delivered, and
    /// returns the bot's other messages.
    /// </summary>
    private async Task<List<ChatMessage>> RepliesBeforeMarkerAsync()
    {
        await Dispatcher.HandleAsync(Request("webchat:marker", "/env lock test"), TestContext.Current.CancellationToken);
        var marker = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("*test*", StringComparison.Ordinal)));
        return [.. (await Chat.MessagesAsync()).Where(m => m.User == "bot" && m.Id != marker.Id)];
    }

    [Fact]
    public async Task HandleAsync_SameDeliveryTwice_RunsAndRepliesOnce()
    {
        var request = Request("webchat:redelivered-1", "/env lock dev demo");

        await Dispatcher.HandleAsync(request, TestContext.Current.CancellationToken);
        await Dispatcher.HandleAsync(request, TestContext.Current.CancellationToken);

        var reply = Assert.Single(await RepliesBeforeMarkerAsync());
        Assert.Contains("*dev*", reply.Text, StringComparison.Ordinal);
        Assert.Single((await Chat.GetJsonAsync("/api/audit?env=dev")).EnumerateArray());
    }

    [Fact]
    public async Task HandleAsync_DeliveryHandledAgainAfterItsRecordWasLost_StillRepliesOnce()
    {
        var request = Request("webchat:redelivered-2", "/env status dev");
        await Dispatcher.HandleAsync(request, TestContext.Current.CancellationToken);
        // As if the record of handled deliveries had not survived: the command runs again, its reply does not.
        var database = Factory.Services.GetRequiredService<StateDatabase>();
        await database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM inbound_deliveries WHERE delivery_id = @id", t, TestContext.Current.CancellationToken,
            ("@id", request.DeliveryId)), TestContext.Current.CancellationToken);

        await Dispatcher.HandleAsync(request, TestContext.Current.CancellationToken);

        var reply = Assert.Single(await RepliesBeforeMarkerAsync());
        Assert.Contains("dev", reply.Text, StringComparison.Ordinal);
    }
}
