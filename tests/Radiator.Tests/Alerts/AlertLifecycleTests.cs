using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Radiator.Tests.Alerts;

public sealed class AlertLifecycleTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Receive_NewFiring_PostsOnceWithButtonsAndRedeliveryChangesNothing()
    {
        await using var kit = await AlertKit.StartAsync();

        var (alert, changed) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        await kit.DeliverAsync();
        var (again, changedAgain) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        await kit.DeliverAsync();

        Assert.True(changed);
        Assert.False(changedAgain);
        Assert.Equal(alert.Id, again.Id);
        var post = Assert.Single(kit.Chat.Sent);
        Assert.Empty(kit.Chat.Updates);
        Assert.Equal(new ChatDestination("webchat", "alerts"), post.Destination);
        Assert.Null(post.ThreadOf);
        Assert.Contains("Disk full on web1", post.Message.Text);
        Assert.Equal(post.Id, await kit.MessageIdAsync("alert:disk-web1:fired-1:webchat:alerts")); // keyed by fingerprint, generation, destination
        Assert.Equal([$"alert-ack:{alert.Id}", $"alert-resolve:{alert.Id}", $"alert-mute:{alert.Id}"], post.Message.Buttons.Select(b => b.ActionId));
    }

    [Fact]
    public async Task Receive_BurstBeyondTheChannelsBudget_AlertsAreDigested()
    {
        await using var kit = await AlertKit.StartAsync(delivery: new()
        {
            ["ChatDelivery:Limits:webchat:TokenInterval"] = "00:01:00",
            ["ChatDelivery:Limits:webchat:Burst"] = "1",
            ["ChatDelivery:DigestThreshold"] = "2",
        });

        for (var i = 1; i <= 5; i++)
        {
            // Each its own group, so no lead is edited.
            await kit.Service.ReceiveAsync(AlertKit.Signal($"disk-{i}", environment: $"env{i}"), Ct);
        }

        await kit.DeliverAsync(kit.Time);

        // The first used the channel's one send; the other four waited past the threshold and went out as one digest.
        Assert.Equal(2, kit.Chat.Sent.Count);
        var digest = kit.Chat.Sent.Last();
        Assert.StartsWith("*4 alerts*", digest.Message.Text);
        Assert.Equal(4, digest.Message.Text.Split('\n').Count(l => l.Contains("Disk full on web1")));
    }

    [Fact]
    public async Task Acknowledge_EditsTheMessageWithWhoAndWhen_AndExpiresIntoFiring()
    {
        await using var kit = await AlertKit.StartAsync(o => o.AcknowledgementExpiry = TimeSpan.FromHours(1));
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        var key = Assert.Single(await kit.AlertPostsAsync());

        var result = await kit.Service.AcknowledgeAsync(alert.Id, "Alice", Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(5));
        await kit.Service.TickAsync(Ct);

        Assert.True(result.Succeeded);
        var shown = (await kit.ShownAsync(key)).Text;
        Assert.Contains("acknowledged by Alice at 2026-11-22 09:00 UTC", ChatTime.Plain(shown));
        Assert.Equal([kit.Time.GetUtcNow().AddMinutes(-5)], ChatTime.Find(shown).Select(t => t.At)); // a time each platform shows itself
        Assert.Equal(AlertStatus.Acknowledged, (await kit.Service.GetAsync(alert.Id, Ct))!.Status);

        kit.Time.Advance(TimeSpan.FromMinutes(55));
        await kit.Service.TickAsync(Ct);

        var expired = (await kit.Service.GetAsync(alert.Id, Ct))!;
        Assert.Equal(AlertStatus.Firing, expired.Status);
        Assert.Null(expired.AcknowledgedBy);
        Assert.Contains("firing", (await kit.ShownAsync(key)).Text);
        Assert.Contains(await kit.RepliesAsync(key), r => r.Contains("acknowledgement by Alice expired"));
        Assert.Single(kit.Chat.TopLevel); // edited in place, never posted again
    }

    [Fact]
    public async Task Resolve_ThenFiringAgain_StartsANewMessage()
    {
        await using var kit = await AlertKit.StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        await kit.Service.ResolveAsync(alert.Id, "Bob", Ct);
        var refused = await kit.Service.ResolveAsync(alert.Id, "Bob", Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(3));
        var (refired, changed) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        Assert.False(refused.Succeeded);
        Assert.True(changed);
        Assert.Equal(2, refired.Generation);
        Assert.Equal(alert.Id, refired.Id);
        Assert.Equal(["alert:disk-web1:fired-1:webchat:alerts", "alert:disk-web1:fired-2:webchat:alerts"], await kit.AlertPostsAsync());
        Assert.Contains("resolved by Bob", (await kit.ShownAsync("alert:disk-web1:fired-1:webchat:alerts")).Text);
        Assert.Contains("firing", (await kit.ShownAsync("alert:disk-web1:fired-2:webchat:alerts")).Text);
    }

    [Fact]
    public async Task Receive_ManyFlipsInTheWindow_MarksFlapping()
    {
        await using var kit = await AlertKit.StartAsync(o => o.FlapThreshold = 4);
        Alert alert = null!;
        for (var i = 0; i < 4; i++)
        {
            (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(firing: i % 2 == 0), Ct);
            kit.Time.Advance(TimeSpan.FromMinutes(1));
        }

        (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        Assert.True(alert.Flapping);
        Assert.Contains("Flapping", string.Join('\n', (await kit.ShownAsync((await kit.AlertPostsAsync())[^1])).Context));
    }

    [Fact]
    public async Task Receive_FlipsSpreadBeyondTheWindow_IsNotFlapping()
    {
        await using var kit = await AlertKit.StartAsync(o => (o.FlapThreshold, o.FlapWindow) = (3, TimeSpan.FromMinutes(10)));
        Alert alert = null!;
        for (var i = 0; i < 6; i++)
        {
            (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(firing: i % 2 == 0), Ct);
            kit.Time.Advance(TimeSpan.FromMinutes(8));
        }

        Assert.False(alert.Flapping);
    }

    [Fact]
    public async Task Mute_HidesMatchingAlertsVisiblyUntilItExpires()
    {
        await using var kit = await AlertKit.StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        var key = Assert.Single(await kit.AlertPostsAsync());

        var muted = await kit.Service.MuteAsync("alertname=DiskFull", TimeSpan.FromMinutes(30), "Carol", Ct);
        var (held, _) = await kit.Service.ReceiveAsync(AlertKit.Signal("disk-web2"), Ct);

        Assert.True(muted.Succeeded);
        Assert.Single(muted.Alerts);
        Assert.Contains("Muted until", string.Join('\n', (await kit.ShownAsync(key)).Context));
        Assert.Single(await kit.NoticesAsync("Carol muted `alertname=DiskFull`"));
        Assert.Equal([key], await kit.AlertPostsAsync()); // the new one is held back
        Assert.NotEqual(held.Generation, held.Announced);

        kit.Time.Advance(TimeSpan.FromMinutes(31));
        await kit.Service.TickAsync(Ct);

        Assert.DoesNotContain("Muted", string.Join('\n', (await kit.ShownAsync(key)).Context));
        Assert.Single(await kit.NoticesAsync("has expired"));
        Assert.Contains("alert:disk-web2:fired-1:webchat:alerts", await kit.AlertPostsAsync());
        Assert.Equal(AlertStatus.Firing, (await kit.Service.GetAsync(alert.Id, Ct))!.Status);
    }

    [Fact]
    public async Task Mute_MoreAlertsThanAreMarkedEach_SaysSoOnceAndEditsNoneOfThemBeforeOrAfter()
    {
        await using var kit = await AlertKit.StartAsync();
        var count = AlertService.MaxMutedMarkedEach + 5;
        for (var i = 0; i < count; i++)
        {
            await kit.Service.ReceiveAsync(AlertKit.Signal($"disk-{i:00}"), Ct);
        }

        var keys = await kit.AlertPostsAsync();
        var updatesBefore = kit.Chat.Updates.Count;

        var commits = kit.Database.CommittedWrites;
        var muted = await kit.Service.MuteAsync("alertname=DiskFull", TimeSpan.FromMinutes(30), "Carol", Ct);
        var muteCommits = kit.Database.CommittedWrites - commits;
        // One more fires while the mute holds: held back, and posted when it ends.
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-late"), Ct);
        var notice = Assert.Single(await kit.NoticesAsync("Carol muted `alertname=DiskFull`"));
        var updatesWhileMuted = kit.Chat.Updates.Count;
        var stored = await Task.WhenAll(muted.Alerts.Select(a => kit.Service.GetAsync(a.Id, Ct)));

        kit.Time.Advance(TimeSpan.FromMinutes(31));
        await kit.Service.TickAsync(Ct);
        var posts = await kit.AlertPostsAsync();

        Assert.Equal(count, keys.Count);
        Assert.Equal(count, muted.Alerts.Count);
        // Of the alert store (the notice goes to the outbox's): the silence, and the group's alerts in one.
        Assert.Equal(2, muteCommits);
        Assert.All(stored, a => Assert.Equal(AlertKit.Start + TimeSpan.FromMinutes(30), a!.MutedUntil));
        Assert.Contains($"({count} open alerts, too many to mark each message", notice, StringComparison.Ordinal);
        Assert.Equal(updatesBefore, updatesWhileMuted);
        Assert.Single(await kit.NoticesAsync("has expired"));
        // The one edit after it: the group's lead (the oldest) now lists the firing that was held back.
        var edit = Assert.Single(kit.Chat.Updates.Skip(updatesBefore));
        Assert.Equal(await kit.MessageIdAsync(keys[0]), edit.MessageId);
        foreach (var key in keys)
        {
            Assert.Empty(await kit.RepliesAsync(key));
        }

        Assert.Equal([.. keys, "alert:disk-late:fired-1:webchat:alerts"], posts.Order(StringComparer.Ordinal));
        Assert.All(await Task.WhenAll(muted.Alerts.Select(a => kit.Service.GetAsync(a.Id, Ct))), a => Assert.Null(a!.MutedUntil));
    }

    [Theory]
    [InlineData("")]
    [InlineData("alertname")]
    [InlineData("=x")]
    public async Task Mute_BadMatcher_IsRefusedAndChangesNothing(string matcher)
    {
        await using var kit = await AlertKit.StartAsync();
        await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        var result = await kit.Service.MuteAsync(matcher, TimeSpan.FromHours(1), "Carol", Ct);

        Assert.False(result.Succeeded);
        Assert.Empty(await kit.Store.SilencesAsync(kit.Time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task Mute_LongerThanMax_IsRefused()
    {
        await using var kit = await AlertKit.StartAsync(o => o.MaxMute = TimeSpan.FromDays(1));

        var result = await kit.Service.MuteAsync("alertname=DiskFull", TimeSpan.FromDays(2), "Carol", Ct);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Escalation_StepsNotifyInOrderAndStopOnAcknowledge()
    {
        await using var kit = await AlertKit.StartAsync(o =>
        {
            o.OnCall["primary"] = new OnCallRotationOptions { Start = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero), Shift = TimeSpan.FromDays(7), People = ["alice", "bob"] };
            o.Routes.Add(new AlertRouteOptions
            {
                Match = new Dictionary<string, string> { ["environment"] = "prod" },
                Escalation =
                [
                    new EscalationStepOptions { Wait = TimeSpan.FromMinutes(5), Notify = "oncall:primary", Repeat = 1 },
                    new EscalationStepOptions { Wait = TimeSpan.FromMinutes(10), Notify = "carol" },
                ],
            });
        }, people: new() { ["bob"] = ["webchat:bob.w"] });
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        var key = Assert.Single(await kit.AlertPostsAsync());

        kit.Time.Advance(TimeSpan.FromMinutes(4));
        await kit.Service.TickAsync(Ct);
        Assert.DoesNotContain(await kit.RepliesAsync(key), r => r.Contains("📟"));

        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await kit.Service.TickAsync(Ct);
        // Week of 2026-11-16 is the first shift of the rotation: alice (no contact: mentioned by name).
        Assert.Single(await kit.RepliesAsync(key), r => r.Contains("📟 @alice"));

        kit.Time.Advance(TimeSpan.FromMinutes(5));
        await kit.Service.TickAsync(Ct);
        await kit.Service.TickAsync(Ct);
        Assert.Equal(2, (await kit.RepliesAsync(key)).Count(r => r.Contains("📟 @alice")));

        await kit.Service.AcknowledgeAsync(alert.Id, "Alice", Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(30));
        await kit.Service.TickAsync(Ct);
        Assert.DoesNotContain(await kit.RepliesAsync(key), r => r.Contains("@carol"));
        Assert.Single(kit.Chat.TopLevel); // escalations go in the alert's thread, not the channel
    }

    [Fact]
    public async Task Escalation_OnCallOfTheWeek_IsMentionedOnTheirPlatform()
    {
        await using var kit = await AlertKit.StartAsync(o =>
        {
            o.OnCall["primary"] = new OnCallRotationOptions { Start = new DateTimeOffset(2026, 11, 9, 0, 0, 0, TimeSpan.Zero), Shift = TimeSpan.FromDays(7), People = ["alice", "bob"] };
            o.Channels = ["webchat:alerts", "slack:C1"];
            o.Routes.Add(new AlertRouteOptions { Escalation = [new EscalationStepOptions { Wait = TimeSpan.FromMinutes(1), Notify = "oncall:primary" }] });
        }, people: new() { ["bob"] = ["webchat:bob.w", "slack:U123"] });
        await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        kit.Time.Advance(TimeSpan.FromMinutes(2));
        await kit.Service.TickAsync(Ct);

        Assert.Single(await kit.RepliesAsync("alert:disk-web1:fired-1:webchat:alerts"), r => r.Contains("📟 @bob.w"));
        Assert.Single(await kit.RepliesAsync("alert:disk-web1:fired-1:slack:C1"), r => r.Contains("📟 <@U123>"));
        Assert.Equal(new ChatDestination("slack", "C1"), Assert.Single(kit.Slack.TopLevel).Destination);
    }

    [Fact]
    public async Task Receive_SoonAfterADeploymentToItsEnvironment_SaysSo()
    {
        await using var kit = await AlertKit.StartAsync(o => o.DeploymentWindow = TimeSpan.FromMinutes(30));
        await kit.Service.RecordDeploymentAsync("prod", kit.Time.GetUtcNow(), "provision of prod 1.4.2 by dave", Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(4));

        var (near, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        var (other, _) = await kit.Service.ReceiveAsync(AlertKit.Signal("disk-test", environment: "test"), Ct);

        Assert.Equal("Started 4 minutes after provision of prod 1.4.2 by dave", near.DeploymentNote);
        Assert.Null(other.DeploymentNote);
        Assert.Contains("🚀 Started 4 minutes after", string.Join('\n', (await kit.ShownAsync("alert:disk-web1:fired-1:webchat:alerts")).Context));
        Assert.DoesNotContain("🚀", string.Join('\n', (await kit.ShownAsync("alert:disk-test:fired-1:webchat:alerts")).Context));
    }

    [Fact]
    public async Task Route_FirstMatchWins_ElseDefaultChannels()
    {
        await using var kit = await AlertKit.StartAsync(o => o.Routes.Add(new AlertRouteOptions { Match = new Dictionary<string, string> { ["environment"] = "test" }, Channels = ["webchat:test-alerts"] }));

        await kit.Service.ReceiveAsync(AlertKit.Signal("a"), Ct);
        await kit.Service.ReceiveAsync(AlertKit.Signal("b", environment: "test"), Ct);

        Assert.Equal(["alert:a:fired-1:webchat:alerts", "alert:b:fired-1:webchat:test-alerts"], await kit.AlertPostsAsync());
        Assert.Equal(["webchat:alerts", "webchat:test-alerts"], kit.Chat.Sent.Select(p => p.Destination.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Republish_AfterCrashBetweenStateAndOutbox_QueuesTheMissingPostOnce()
    {
        await using var kit = await AlertKit.StartAsync();
        // The state of a new firing, written as ReceiveAsync writes it; the process died before its outbox write.
        await kit.Store.UpdateByFingerprintAsync("disk-web1", current => AlertLifecycle.Receive(current, AlertKit.Signal(), kit.Time.GetUtcNow(), kit.Options) with { Announced = 1 }, Ct);
        Assert.Empty(await kit.AlertPostsAsync());

        await kit.Service.RepublishAsync(Ct);
        await kit.Service.RepublishAsync(Ct);

        Assert.Equal(["alert:disk-web1:fired-1:webchat:alerts"], await kit.AlertPostsAsync());
        Assert.Single(kit.Chat.Sent);
    }

    [Fact]
    public async Task Republish_LongAfterTheLastChange_QueuesNoEdit()
    {
        await using var kit = await AlertKit.StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        await kit.Service.AcknowledgeAsync(alert.Id, "Alice", Ct);
        var id = await kit.MessageIdAsync("alert:disk-web1:fired-1:webchat:alerts");
        var edits = kit.Chat.Updates.Count;

        kit.Time.Advance(TimeSpan.FromMinutes(5));
        await kit.Service.RepublishAsync(Ct);
        await kit.DeliverAsync();
        var recent = kit.Chat.Updates.Skip(edits).ToList();
        kit.Time.Advance(TimeSpan.FromHours(1));
        await kit.Service.RepublishAsync(Ct);
        await kit.DeliverAsync();

        // Within the crash window the edit may have been lost: sent again, showing the acknowledgement.
        var edit = Assert.Single(recent);
        Assert.Equal(id, edit.MessageId);
        Assert.Contains("acknowledged by Alice", edit.Message.Text);
        Assert.Equal(edits + 1, kit.Chat.Updates.Count);
    }

    [Fact]
    public async Task Acknowledge_UnknownOrResolved_IsRefused()
    {
        await using var kit = await AlertKit.StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(firing: false), Ct);

        Assert.Contains("no alert #99", (await kit.Service.AcknowledgeAsync(99, "Alice", Ct)).Refusal);
        Assert.Contains("already resolved", (await kit.Service.AcknowledgeAsync(alert.Id, "Alice", Ct)).Refusal);
        await kit.DeliverAsync();
        Assert.Empty(kit.Chat.Posts); // first seen already resolved: nothing to announce
    }
}
