using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Deployments;
using ChatOps.Radiator.Events;
using ChatOps.Radiator.Tests.Events;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Tests.Deployments;

public sealed class DeploymentFeedTests
{
    [Fact]
    public async Task PublishAsync_FinishedRun_PostsToDeploysAndWritesDeploymentEvent()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var chat = new FakeChatSender();
        var sut = CreateSut(t, chat);
        var finished = t.Time.GetUtcNow().AddSeconds(-10);

        await sut.PublishAsync(new DeploymentEvent("run-17", "alice", "test", "provision", "1.4.2", TimeSpan.FromSeconds(125), "succeeded", finished), ct);

        var (destination, message) = Assert.Single(chat.Posts);
        Assert.Equal(new ChatDestination("webchat", "deploys"), destination);
        Assert.Equal("✅ *test*: provision version `1.4.2` by alice succeeded after 2 minutes, 5 seconds", message.Text);
        var stored = Assert.Single(await t.Store.ReadEventsAsync(DeploymentFeed.EventKey, finished.AddMinutes(-1), finished.AddMinutes(1), ct));
        Assert.Equal(125, stored.Value);
        Assert.Equal(message.Text, stored.Message);
    }

    [Fact]
    public async Task PublishAsync_ChatDown_StillRecordsTheEvent()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var chat = new FakeChatSender { FailWith = new HttpRequestException("chat is down") };
        var sut = CreateSut(t, chat);

        await sut.PublishAsync(new DeploymentEvent("run-18", "bob", "prod", "halt", null, TimeSpan.FromSeconds(3), "failed", t.Time.GetUtcNow()), ct);

        var window = TimeWindow.Ending(t.Time.GetUtcNow().AddMinutes(1), TimeSpan.FromMinutes(1), 1)[0];
        Assert.Equal(1, (await t.Source.MeasureAsync(new KpiQuery(DeploymentFeed.EventKey, KpiAggregation.Count), window, ct)).Count);
    }

    [Fact]
    public void Format_SubSecondRun_SaysUnderASecond()
    {
        var message = DeploymentFormatter.Format(new DeploymentEvent("run-9", "carol", "dev", "up", null, TimeSpan.FromMilliseconds(420), "succeeded", new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero)));

        Assert.Equal("✅ *dev*: up by carol succeeded in under a second", message.Text);
    }

    private static DeploymentFeed CreateSut(TestStore t, FakeChatSender chat) =>
        new(new ChatSenders([chat]), t.Store, Options.Create(new DeploymentOptions { Channels = ["webchat:deploys"] }), TestStore.Logger<DeploymentFeed>());
}
