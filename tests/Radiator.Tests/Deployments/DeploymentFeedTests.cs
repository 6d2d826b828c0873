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
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        var sut = CreateSut(t, kit);
        var finished = t.Time.GetUtcNow().AddSeconds(-10);

        await sut.PublishAsync(new DeploymentEvent("run-17", "alice", "test", "provision", "1.4.2", TimeSpan.FromSeconds(125), "succeeded", finished), ct);
        await kit.DrainAsync();

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
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        var sut = CreateSut(t, kit);

        await sut.PublishAsync(new DeploymentEvent("run-18", "bob", "prod", "halt", null, TimeSpan.FromSeconds(3), "failed", t.Time.GetUtcNow()), ct);

        var window = TimeWindow.Ending(t.Time.GetUtcNow().AddMinutes(1), TimeSpan.FromMinutes(1), 1)[0];
        Assert.Equal(1, (await t.Source.MeasureAsync(new KpiQuery(DeploymentFeed.EventKey, KpiAggregation.Count), window, ct)).Count);
    }

    [Fact]
    public async Task PublishAsync_SameRunAgain_EditsItsOneMessageInOrder()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        var sut = CreateSut(t, kit, "webchat:deploys", "webchat:releases");
        var run = new DeploymentEvent("run-21", "alice", "prod", "provision", "2.0.0", TimeSpan.FromSeconds(30), "interrupted", t.Time.GetUtcNow());

        await sut.PublishAsync(run, ct);
        await kit.DrainAsync();
        await sut.PublishAsync(run with { Result = "failed", Duration = TimeSpan.FromSeconds(95) }, ct);
        await kit.DrainAsync();
        await sut.PublishAsync(run with { Result = "succeeded", Duration = TimeSpan.FromSeconds(150) }, ct);
        await kit.DrainAsync();

        Assert.Equal(2, chat.Posts.Count); // one message per channel, never a second one
        foreach (var (channel, id) in chat.Posts.Select(p => p.Destination.Channel).Zip(chat.PostIds))
        {
            var edits = chat.Updates.Where(u => u.MessageId == id).ToList();
            Assert.All(edits, e => Assert.Equal(channel, e.Destination.Channel));
            Assert.Equal(
                ["❌ *prod*: provision version `2.0.0` by alice failed after 1 minute, 35 seconds", "✅ *prod*: provision version `2.0.0` by alice succeeded after 2 minutes, 30 seconds"],
                edits.Select(e => e.Message.Text));
            Assert.Equal(edits[^1].Message.Text, chat.Shown(id).Text);
        }

        // Counted once as a deployment, however often it was announced.
        Assert.Single(await t.Store.ReadEventsAsync(DeploymentFeed.EventKey, run.FinishedAt.AddMinutes(-1), run.FinishedAt.AddMinutes(1), ct));
    }

    [Fact]
    public async Task PublishAsync_RepublishedWhileChatIsDown_ShowsTheNewestOnceChatIsBack()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var chat = new FakeChatSender { FailWith = new HttpRequestException("chat is down") };
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        var sut = CreateSut(t, kit);
        var run = new DeploymentEvent("run-22", "bob", "test", "up", null, TimeSpan.FromSeconds(5), "interrupted", t.Time.GetUtcNow());

        await sut.PublishAsync(run, ct);
        await sut.PublishAsync(run with { Result = "succeeded" }, ct);
        chat.FailWith = null;
        await kit.DrainAsync(t.Time);

        var id = Assert.Single(chat.PostIds);
        Assert.Equal("✅ *test*: up by bob succeeded after 5 seconds", chat.Shown(id).Text);
    }

    [Fact]
    public async Task PublishAsync_BurstBeyondTheChannelsBudget_MergesDeploymentsIntoOneDigest()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat, new()
        {
            ["ChatDelivery:Limits:webchat:TokenInterval"] = "00:30:00",
            ["ChatDelivery:Limits:webchat:Burst"] = "1",
            ["ChatDelivery:DigestThreshold"] = "2",
        });
        var sut = CreateSut(t, kit);

        for (var i = 1; i <= 5; i++)
        {
            await sut.PublishAsync(new DeploymentEvent($"run-{i}", "alice", $"env{i}", "up", null, TimeSpan.FromSeconds(i), "succeeded", t.Time.GetUtcNow()), ct);
        }

        await kit.WaitForDepthAsync(1); // the four waiting posts became one digest
        await kit.DrainAsync(t.Time);

        // The channel's one send goes to the first run; the other four wait for budget and are merged.
        Assert.Equal(2, chat.Posts.Count);
        Assert.Contains("*env1*", chat.Texts[0], StringComparison.Ordinal);
        Assert.StartsWith("*4 deployments*", chat.Texts[1], StringComparison.Ordinal);
        Assert.All(["env2", "env3", "env4", "env5"], env => Assert.Contains($"*{env}*", chat.Texts[1], StringComparison.Ordinal));
    }

    [Fact]
    public void Format_SubSecondRun_SaysUnderASecond()
    {
        var message = DeploymentFormatter.Format(new DeploymentEvent("run-9", "carol", "dev", "up", null, TimeSpan.FromMilliseconds(420), "succeeded", new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero)));

        Assert.Equal("✅ *dev*: up by carol succeeded in under a second", message.Text);
    }

    [Fact]
    public void Format_ApprovedRun_NamesTheApproverBesideTheRequester()
    {
        var message = DeploymentFormatter.Format(new DeploymentEvent("run-9", "alice", "prod", "destroy", null, TimeSpan.FromSeconds(3), "succeeded", new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero)) { ApprovedBy = "bob" });

        Assert.Equal("✅ *prod*: destroy by alice (approved by bob) succeeded after 3 seconds", message.Text);
    }

    private static DeploymentFeed CreateSut(TestStore t, OutboxKit kit, params string[] channels) =>
        new(kit.Outbox, t.Store, Options.Create(new DeploymentOptions { Channels = channels.Length > 0 ? [.. channels] : ["webchat:deploys"] }), TestStore.Logger<DeploymentFeed>());
}
