using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Rest;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>
/// Discord's rate limits (rate-limits topic) against the peer, on one fake clock: buckets learnt from the headers are
/// waited out before Discord has to refuse, and a 429 is waited out for its <c>retry_after</c>, per route or for every
/// route when global. <see cref="DiscordRestPeer.EarlyRequests"/> counts any request sent while still refused.
/// </summary>
public sealed class DiscordRateLimitTests
{
    private const string Channel = "1200000000000000300";
    private const string OtherChannel = "1200000000000000301";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExhaustedBucket_NextRequestWaitsForTheReset_OtherChannelDoesNot()
    {
        var time = new ObservedTimeProvider(TimeProvider.System.GetUtcNow());
        await using var peer = await DiscordRestPeer.StartAsync(time, Ct);
        peer.SetRouteLimit("create_message", 2, TimeSpan.FromSeconds(10));
        await using var services = DiscordTestServices.Create(peer, time);
        var sut = services.GetRequiredService<IDiscordRest>();
        await sut.CreateMessageAsync(Channel, Text("1"), Ct);
        await sut.CreateMessageAsync(Channel, Text("2"), Ct);

        var third = sut.CreateMessageAsync(Channel, Text("3"), Ct);
        await time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(10), "the client waits for the bucket's reset");
        await sut.CreateMessageAsync(OtherChannel, Text("elsewhere"), Ct);
        Assert.Equal(2, peer.MessagesIn(Channel).Count);
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));
        await Wait.ForAsync(third, "the third post");

        Assert.Equal(["1", "2", "3"], peer.MessagesIn(Channel).Select(m => m.Content));
        Assert.Single(peer.MessagesIn(OtherChannel));
        Assert.Equal(0, peer.RateLimitedCount);
        Assert.Equal(0, peer.EarlyRequests);
    }

    [Fact]
    public async Task RouteRateLimited_WaitsRetryAfterThenSendsOnce_NothingLost()
    {
        var time = new ObservedTimeProvider(TimeProvider.System.GetUtcNow());
        await using var peer = await DiscordRestPeer.StartAsync(time, Ct);
        peer.RateLimit("create_message", TimeSpan.FromSeconds(5));
        await using var services = DiscordTestServices.Create(peer, time);
        var sut = services.GetRequiredService<IDiscordRest>();

        var post = sut.CreateMessageAsync(Channel, Text("test is up"), Ct);
        await time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(5), "the client waits out retry_after");
        Assert.Single(peer.Requests);
        time.Advance(TimeSpan.FromSeconds(5));
        var posted = await Wait.ForAsync(post, "the post after the 429");

        Assert.Equal(posted.Id, Assert.Single(peer.MessagesIn(Channel)).Id);
        Assert.Equal(1, peer.RateLimitedCount);
        Assert.Equal(0, peer.EarlyRequests);
        Assert.Empty(peer.SpecViolations);
    }

    [Fact]
    public async Task GlobalRateLimit_HoldsBackEveryRoute_ThenBothGoThrough()
    {
        var time = new ObservedTimeProvider(TimeProvider.System.GetUtcNow());
        await using var peer = await DiscordRestPeer.StartAsync(time, Ct);
        await using var services = DiscordTestServices.Create(peer, time);
        var sut = services.GetRequiredService<IDiscordRest>();
        var existing = await sut.CreateMessageAsync(OtherChannel, Text("bringing test up"), Ct);
        peer.RateLimitGlobally(TimeSpan.FromSeconds(3));

        var post = sut.CreateMessageAsync(Channel, Text("refused first"), Ct);
        await time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(3), "the refused post waits");
        var edit = sut.EditMessageAsync(OtherChannel, existing.Id, Text("test is up"), Ct);
        await Wait.UntilAsync(() => time.Timers.Count(t => t == TimeSpan.FromSeconds(3)) == 2, "the edit on another route waits for the global limit too");
        Assert.Equal(2, peer.Requests.Count);
        time.Advance(TimeSpan.FromSeconds(3));
        await Wait.ForAsync(Task.WhenAll(post, edit), "both requests after the global limit");

        Assert.Equal("test is up", peer.Message(existing.Id)!.Content);
        Assert.Single(peer.MessagesIn(Channel));
        Assert.Equal(1, peer.RateLimitedCount);
        Assert.Equal(0, peer.EarlyRequests);
    }

    [Fact]
    public async Task RateLimitLongerThanTheClientSitsOut_TransientFailureWithRetryAfter()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        peer.RateLimit("create_message", TimeSpan.FromSeconds(120));
        await using var services = DiscordTestServices.Create(peer);

        var e = await Assert.ThrowsAsync<DiscordApiException>(() => services.GetRequiredService<IDiscordRest>().CreateMessageAsync(Channel, Text("x"), Ct));

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), ((IChatSendFailure)e).RetryAfter);
        Assert.False(((IChatSendFailure)e).IsPermanent);
        Assert.Single(peer.Requests);
        Assert.Empty(peer.MessagesIn(Channel));
    }

    [Fact]
    public async Task Cancelled_WhileWaitingOutA429_StopsWithoutSendingAgain()
    {
        var time = new ObservedTimeProvider(TimeProvider.System.GetUtcNow());
        await using var peer = await DiscordRestPeer.StartAsync(time, Ct);
        peer.RateLimit("create_message", TimeSpan.FromSeconds(30));
        await using var services = DiscordTestServices.Create(peer, time);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var post = services.GetRequiredService<IDiscordRest>().CreateMessageAsync(Channel, Text("x"), cancellation.Token);
        await time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(30), "the client waits out retry_after");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(peer.Requests);
        Assert.Empty(peer.MessagesIn(Channel));
    }

    private static DiscordMessagePayload Text(string content) => DiscordMessagePayload.Json(new JsonObject { ["content"] = content });
}
