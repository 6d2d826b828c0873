using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Slack;
using ChatOps.TestCommon.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Slack;

/// <summary>
/// A post carries its delivery key as its first block's block_id, and SlackChatSender finds it again with
/// conversations.history / conversations.replies, against a peer that checks every request against the spec.
/// </summary>
public sealed class SlackPostLookupTests : IAsyncLifetime
{

    private SlackPeer _peer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _peer = await SlackPeer.StartAsync(Ct);
        _peer.ChannelInterval = TimeSpan.Zero;
    }

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public void Render_WithDeliveryKey_FirstBlockCarriesAShortStableBlockId()
    {
        var message = new OutgoingMessage { Text = "disk full", Context = ["host db-1"], DeliveryKey = "alert:f1:firing:slack:C1" };

        var blocks = BlockKitRenderer.Render(message).Blocks!;

        var blockId = blocks[0]!["block_id"]!.GetValue<string>();
        Assert.Matches("^d-[0-9a-f]{32}$", blockId);
        Assert.Equal(BlockKitRenderer.DeliveryBlockId("alert:f1:firing:slack:C1"), blockId);
        Assert.NotEqual(BlockKitRenderer.DeliveryBlockId("alert:f1:resolved:slack:C1"), blockId);
        Assert.Null(blocks[1]!["block_id"]);
        Assert.Null(BlockKitRenderer.Render(message with { DeliveryKey = null }).Blocks![0]!["block_id"]);
    }

    [Fact]
    public async Task FindPostAsync_PostedWithKey_FoundByThatKeyOnly()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sut = services.GetRequiredService<SlackChatSender>();
        var destination = new ChatDestination("slack", "C0ALERTS");
        var since = TimeProvider.System.GetUtcNow();
        await sut.PostAsync(destination, OutgoingMessage.Plain("before"), cancellationToken: Ct);
        var id = await sut.PostAsync(destination, new OutgoingMessage { Text = "disk full", DeliveryKey = "alert:1" }, cancellationToken: Ct);
        await sut.PostAsync(destination, new OutgoingMessage { Text = "cpu hot", DeliveryKey = "alert:2" }, cancellationToken: Ct);

        Assert.Equal(id, await sut.FindPostAsync(destination, "alert:1", null, since, Ct));
        Assert.Null(await sut.FindPostAsync(destination, "alert:3", null, since, Ct));
        Assert.Null(await sut.FindPostAsync(new ChatDestination("slack", "C0OTHER"), "alert:1", null, since, Ct));
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task FindPostAsync_ThreadReply_FoundInItsThreadNotInHistory()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sut = services.GetRequiredService<SlackChatSender>();
        var destination = new ChatDestination("slack", "C0ALERTS");
        var since = TimeProvider.System.GetUtcNow();
        var parent = await sut.PostAsync(destination, new OutgoingMessage { Text = "disk full", DeliveryKey = "alert:1" }, cancellationToken: Ct);
        var reply = await sut.PostAsync(destination, new OutgoingMessage { Text = "still full", DeliveryKey = "alert:1:note" }, parent, Ct);

        Assert.Equal(reply, await sut.FindPostAsync(destination, "alert:1:note", parent, since, Ct));
        // History leaves thread replies out, so a reply is only ever looked for in its thread.
        Assert.Null(await sut.FindPostAsync(destination, "alert:1:note", null, since, Ct));
        Assert.Contains(_peer.Requests, r => r.Uri.AbsolutePath.EndsWith("/conversations.replies", StringComparison.Ordinal));
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task FindPostAsync_PostedBeforeTheWindow_NotFound()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sut = services.GetRequiredService<SlackChatSender>();
        var destination = new ChatDestination("slack", "C0ALERTS");
        await sut.PostAsync(destination, new OutgoingMessage { Text = "disk full", DeliveryKey = "alert:1" }, cancellationToken: Ct);

        var later = TimeProvider.System.GetUtcNow() + SlackChatSender.ClockSkew + TimeSpan.FromMinutes(1);

        Assert.Null(await sut.FindPostAsync(destination, "alert:1", null, later, Ct));
    }

    [Fact]
    public async Task GetHistoryAsync_SmallPages_CursorWalksEveryMessageOnce()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sender = services.GetRequiredService<SlackChatSender>();
        var sut = services.GetRequiredService<ISlackWebApi>();
        var destination = new ChatDestination("slack", "C0BUSY");
        var posted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            posted.Add(await sender.PostAsync(destination, OutgoingMessage.Plain($"message {i}"), cancellationToken: Ct));
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await sut.GetHistoryAsync("C0BUSY", "0.000000", inclusive: true, limit: 2, cursor, Ct);
            Assert.InRange(page.Messages.Count, 1, 2);
            seen.AddRange(page.Messages.Select(m => m.Ts));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(posted), seen);
        Assert.Empty(_peer.ContractViolations);
    }

    [Theory]
    [InlineData("missing_scope", true)]
    [InlineData("channel_not_found", true)]
    [InlineData("request_timeout", false)]
    public async Task FindPostAsync_SlackRefuses_ThrowsSayingWhetherAskingAgainCanHelp(string error, bool permanent)
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sut = services.GetRequiredService<SlackChatSender>();
        _peer.HistoryError = error;

        var e = await Assert.ThrowsAsync<SlackApiException>(() => sut.FindPostAsync(new ChatDestination("slack", "C0ALERTS"), "alert:1", null, TimeProvider.System.GetUtcNow(), Ct));

        Assert.Equal(error, e.Error);
        Assert.Equal(permanent, ((IChatSendFailure)e).IsPermanent);
    }

    [Fact]
    public void FormatTs_SlackTimestamp_SecondsWithSixDecimals()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

        Assert.Equal("1700000000.123000", SlackChatSender.FormatTs(at));
        Assert.Equal("0.000000", SlackChatSender.FormatTs(DateTimeOffset.UnixEpoch - TimeSpan.FromDays(1)));
    }
}
