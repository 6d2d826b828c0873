using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Slack;
using ChatOps.Integrations.Tests.Slack;
using ChatOps.TestCommon.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

/// <summary>
/// Two replicas, each with its own Slack adapter, against the spec-checking Slack peer: the 429 and Retry-After the
/// peer gives replica A keep replica B from posting to that channel until the wait is over, and then B posts.
/// </summary>
public sealed class SlackSharedPauseTests : IAsyncLifetime
{
    private static readonly ChatDestination Alerts = new("slack", "C0ALERTS");

    private SlackPeer _peer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _peer = await SlackPeer.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task RunOnceAsync_SlackAnswersReplicaAWith429_ReplicaBPostsNothingThereUntilRetryAfterThenPosts()
    {
        // Slack stamps messages with the real clock; the outbox's manual clock starts there, and the peer's channel pacing follows it.
        // A burst of 4, so each replica's share (2) lets A try its second post at once and meet Slack's own limit.
        using var harness = await OutboxHarness.CreateAsync(o => o.Limits["slack"] = new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 4 },
            start: TimeProvider.System.GetUtcNow());
        _peer.Clock = harness.Time;
        _peer.ChannelInterval = TimeSpan.FromSeconds(30);
        // Each replica's adapter hands the 429 to the outbox instead of sitting it out inside the call.
        var settings = new Dictionary<string, string?> { ["Slack:MaxRateLimitRetries"] = "0" };
        await using var slackA = SlackTestServices.Create(_peer.ApiBaseUrl, settings);
        await using var slackB = SlackTestServices.Create(_peer.ApiBaseUrl, settings);
        using var a = await OutboxReplica.JoinAsync(harness, "replica-a", slackA.GetRequiredService<SlackChatSender>());
        using var b = await OutboxReplica.JoinAsync(harness, "replica-b", slackB.GetRequiredService<SlackChatSender>());
        await a.BeatAsync();
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await harness.Outbox.EnqueuePostAsync("alert:2", Alerts, OutgoingMessage.Plain("cpu hot"), cancellationToken: Ct);

        await a.RunOnceAsync();
        Assert.Equal(["disk full"], _peer.MessagesIn("C0ALERTS").Select(m => m.Text));
        Assert.Equal(1, _peer.RateLimitedCount);

        await harness.Outbox.EnqueuePostAsync("alert:3", Alerts, OutgoingMessage.Plain("queue deep"), cancellationToken: Ct);
        var postsBefore = PostMessageCalls();
        await b.RunOnceAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await b.RunOnceAsync();

        Assert.Equal(postsBefore, PostMessageCalls());
        Assert.Equal(1, _peer.RateLimitedCount);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await b.RunOnceAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await b.RunOnceAsync();

        Assert.Equal(["disk full", "cpu hot", "queue deep"], _peer.MessagesIn("C0ALERTS").Select(m => m.Text));
        Assert.Equal(1, _peer.RateLimitedCount);
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("sent", r.Status));
        Assert.Empty(_peer.ContractViolations);
    }

    private int PostMessageCalls() => _peer.Requests.Count(r => r.Uri.AbsolutePath.EndsWith("/chat.postMessage", StringComparison.Ordinal));
}
