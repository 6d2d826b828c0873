using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

/// <summary>
/// A platform's Retry-After heard by one replica holds every replica back from that destination (or that platform),
/// through the state store; a store that cannot say whether a pause holds loses and repeats nothing.
/// </summary>
public sealed class SharedPauseTests
{
    private static readonly ChatDestination Alerts = OutboxHarness.Alerts;
    private static readonly ChatDestination Deploys = new("slack", "C-DEPLOYS");
    private static readonly ChatDestination DiscordAlerts = new("discord", "D-ALERTS");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunOnceAsync_ReplicaATakesA429_ReplicaBSendsNothingThereUntilThePauseEndsThenSends()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var replicas = await OutboxReplica.JoinAllAsync(harness, "replica-a", "replica-b");
        var (a, slackA, _) = replicas[0];
        var (b, slackB, _) = replicas[1];
        slackA.Failures.Enqueue(new FakeSendFailure("ratelimited", retryAfter: TimeSpan.FromSeconds(30)));
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await a.RunOnceAsync();
        var pausedUntil = harness.Time.GetUtcNow().AddSeconds(30);

        await harness.Outbox.EnqueuePostAsync("alert:2", Alerts, OutgoingMessage.Plain("cpu hot"), cancellationToken: Ct);
        await harness.Outbox.EnqueuePostAsync("deploy:1", Deploys, OutgoingMessage.Plain("v42 deployed"), cancellationToken: Ct);
        await b.RunOnceAsync();

        // B sent to the other channel, and nothing to the paused one: alert:2 was not even claimed.
        Assert.Equal(["deploy:1"], slackB.Calls.Select(c => c.Message.DeliveryKey));
        Assert.Contains(("alert:2", "pending", (string?)null, (string?)null), await harness.RowsAsync());
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT attempts FROM chat_outbox WHERE key = 'alert:2'"));
        var pause = Assert.Single(await harness.Pauses.ListAsync(Ct));
        Assert.Equal(("slack", "C-ALERTS", pausedUntil, "replica-a"), (pause.Platform, pause.Channel, pause.PausedUntil, pause.PausedBy));

        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await b.RunOnceAsync();
        Assert.Single(slackB.Calls);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await b.RunOnceAsync();
        // One token when the pause ends (as in the replica that heard it), then B's share of the rate: one per 2 s.
        Assert.Equal(["deploy:1", "alert:1"], slackB.Calls.Select(c => c.Message.DeliveryKey));
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await b.RunOnceAsync();

        Assert.Equal(["deploy:1", "alert:1", "alert:2"], slackB.Calls.Select(c => c.Message.DeliveryKey));
        Assert.Empty(slackA.Calls);
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("sent", r.Status));
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public async Task RunOnceAsync_PlatformWideLimit_EveryReplicaHoldsBackEveryChannelOfThatPlatformOnly()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var replicas = await OutboxReplica.JoinAllAsync(harness, "replica-a", "replica-b");
        var (a, slackA, _) = replicas[0];
        var (b, slackB, discordB) = replicas[1];
        slackA.Failures.Enqueue(new FakeSendFailure("global rate limit", retryAfter: TimeSpan.FromSeconds(10), platformWide: true));
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await a.RunOnceAsync();

        await harness.Outbox.EnqueuePostAsync("deploy:1", Deploys, OutgoingMessage.Plain("v42 deployed"), cancellationToken: Ct);
        await harness.Outbox.EnqueuePostAsync("deploy:2", DiscordAlerts, OutgoingMessage.Plain("v42 deployed"), cancellationToken: Ct);
        await b.RunOnceAsync();
        await a.RunOnceAsync();

        Assert.Empty(slackA.Calls);
        Assert.Empty(slackB.Calls);
        Assert.Equal(["deploy:2"], discordB.Calls.Select(c => c.Message.DeliveryKey));
        Assert.Equal(("slack", ""), Assert.Single(await harness.Pauses.ListAsync(Ct)) is var p ? (p.Platform, p.Channel) : default);

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await b.RunOnceAsync();
        Assert.Equal(["alert:1", "deploy:1"], slackB.Calls.Select(c => c.Message.DeliveryKey).Order());
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public async Task RunOnceAsync_StoreFailsWhileReadingAPause_NothingClaimedOrSentAndSentOnceWhenItAnswers()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var replicas = await OutboxReplica.JoinAllAsync(harness, "replica-a", "replica-b");
        var (b, slackB, _) = replicas[1];
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await harness.Database.WriteAsync((c, t) => c.ExecuteAsync("ALTER TABLE chat_destination_pauses RENAME TO pauses_away", t, Ct), Ct);

        await b.RunOnceAsync();

        Assert.Equal(0, slackB.Attempts);
        Assert.Equal(("alert:1", "pending", (string?)null, (string?)null), Assert.Single(await harness.RowsAsync()));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT attempts FROM chat_outbox"));

        await harness.Database.WriteAsync((c, t) => c.ExecuteAsync("ALTER TABLE pauses_away RENAME TO chat_destination_pauses", t, Ct), Ct);
        await b.RunOnceAsync();

        Assert.Equal(["alert:1"], slackB.Calls.Select(c => c.Message.DeliveryKey));
        Assert.Equal("sent", Assert.Single(await harness.RowsAsync()).Status);
        Assert.All(replicas, r => r.Replica.Dispose());
    }

    [Fact]
    public async Task RunOnceAsync_StoreFailsWhileRecordingAPause_ThisReplicaStillWaitsAndSendsOnceAfter()
    {
        using var harness = await OutboxHarness.CreateAsync();
        // Alone, so it reads no pauses and only the write meets the fault.
        var (a, slackA, _) = Assert.Single(await OutboxReplica.JoinAllAsync(harness, "replica-a"));
        slackA.Failures.Enqueue(new FakeSendFailure("ratelimited", retryAfter: TimeSpan.FromSeconds(30)));
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await harness.Outbox.EnqueuePostAsync("alert:2", Alerts, OutgoingMessage.Plain("cpu hot"), cancellationToken: Ct);
        await harness.Database.WriteAsync((c, t) => c.ExecuteAsync("ALTER TABLE chat_destination_pauses RENAME TO pauses_away", t, Ct), Ct);

        await a.RunOnceAsync();
        await harness.Database.WriteAsync((c, t) => c.ExecuteAsync("ALTER TABLE pauses_away RENAME TO chat_destination_pauses", t, Ct), Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await a.RunOnceAsync();

        // The pause was not recorded, but A keeps it: nothing more went to the destination, and both rows wait.
        Assert.Empty(await harness.Pauses.ListAsync(Ct));
        Assert.Equal(1, slackA.Attempts);
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("pending", r.Status));

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await a.RunOnceAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await a.RunOnceAsync();

        Assert.Equal(["alert:1", "alert:2"], slackA.Calls.Select(c => c.Message.DeliveryKey));
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("sent", r.Status));
        a.Dispose();
    }

    [Fact]
    public async Task RunOnceAsync_PlatformWithoutARate_ReadsNoPausesAndSendsAtOnce()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var webChat = new RecordingChatSender("webchat");
        using var a = await OutboxReplica.JoinAsync(harness, "replica-a", webChat);
        using var b = await OutboxReplica.JoinAsync(harness, "replica-b");
        await a.BeatAsync();
        var room = new ChatDestination("webchat", "ops");
        // A pause in the store for it (no web chat asks for one) shows that it is not even read.
        await harness.Pauses.PauseAsync("webchat", "ops", harness.Time.GetUtcNow().AddMinutes(1), "replica-b", harness.Time.GetUtcNow(), Ct);
        await harness.Outbox.EnqueuePostAsync("reply:1", room, OutgoingMessage.Plain("env test is up"), cancellationToken: Ct);

        await a.RunOnceAsync();

        Assert.Equal(["reply:1"], webChat.Calls.Select(c => c.Message.DeliveryKey));
    }

    [Fact]
    public async Task PauseAsync_RetryAfterLongerThanMaxPause_EveryReplicaWaitsMaxPauseOnly()
    {
        using var harness = await OutboxHarness.CreateAsync(o => o.MaxPause = TimeSpan.FromMinutes(5));
        var (a, _, _) = Assert.Single(await OutboxReplica.JoinAllAsync(harness, "replica-a"));
        var now = harness.Time.GetUtcNow();

        var until = await a.Limiter.PauseAsync(Alerts, TimeSpan.FromDays(2), platformWide: false, now, Ct);

        Assert.Equal(now.AddMinutes(5), until);
        Assert.Equal(now.AddMinutes(5), Assert.Single(await harness.Pauses.ListAsync(Ct)).PausedUntil);
        a.Dispose();
    }

    [Fact]
    public async Task PauseAsync_ShorterPauseHeardLater_KeepsTheLongerAndClearsExpiredOnes()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var now = harness.Time.GetUtcNow();
        await harness.Pauses.PauseAsync("slack", "C-OLD", now.AddSeconds(5), "replica-a", now, Ct);
        await harness.Pauses.PauseAsync("slack", "C-ALERTS", now.AddSeconds(60), "replica-a", now, Ct);

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        var later = harness.Time.GetUtcNow();
        await harness.Pauses.PauseAsync("slack", "C-ALERTS", later.AddSeconds(5), "replica-b", later, Ct);

        var pause = Assert.Single(await harness.Pauses.ListAsync(Ct));
        Assert.Equal(("C-ALERTS", now.AddSeconds(60), "replica-a"), (pause.Channel, pause.PausedUntil, pause.PausedBy));
        Assert.Equal(now.AddSeconds(60), await harness.Pauses.PausedUntilAsync(Alerts, later, Ct));
        Assert.Null(await harness.Pauses.PausedUntilAsync(Deploys, later, Ct));
        Assert.Null(await harness.Pauses.PausedUntilAsync(Alerts, now.AddSeconds(60), Ct));
    }
}
