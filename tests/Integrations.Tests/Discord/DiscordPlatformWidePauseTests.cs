using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Rest;
using ChatOps.TestCommon.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>
/// A 429 longer than the Discord client sits out reaches the outbox, which pauses every replica: the whole platform when
/// Discord says the limit is global, only the channel when it is the route's.
/// </summary>
public sealed class DiscordPlatformWidePauseTests
{
    private const string Channel = "1200000000000000300";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateMessageAsync_LongRateLimit_FailureSaysWhetherItHoldsForTheWholePlatform(bool global)
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        if (global)
        {
            peer.RateLimitGlobally(TimeSpan.FromSeconds(120));
        }
        else
        {
            peer.RateLimit("create_message", TimeSpan.FromSeconds(120));
        }

        await using var services = DiscordTestServices.Create(peer);

        var failure = (IChatSendFailure)await Assert.ThrowsAsync<DiscordApiException>(() => services.GetRequiredService<IDiscordRest>()
            .CreateMessageAsync(Channel, DiscordMessagePayload.Json(new JsonObject { ["content"] = "x" }), Ct));

        Assert.Equal((TimeSpan.FromSeconds(120), global), (failure.RetryAfter, failure.RetryAfterIsPlatformWide));
        Assert.Empty(peer.SpecViolations);
    }
}
