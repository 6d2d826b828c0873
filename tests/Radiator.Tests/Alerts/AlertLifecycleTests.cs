using ChatOps.Radiator.Alerts;

namespace ChatOps.Radiator.Tests.Alerts;

public sealed class AlertLifecycleTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Receive_NewFiring_PostsOnceWithButtonsAndRedeliveryChangesNothing()
    {
        using var kit = await new AlertKit().StartAsync();

        var (alert, changed) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        var (again, changedAgain) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        Assert.True(changed);
        Assert.False(changedAgain);
        Assert.Equal(alert.Id, again.Id);
        var key = Assert.Single(kit.Outbox.TopLevel);
        Assert.Equal($"alert:disk-web1:fired-1:webchat:alerts", key);
        Assert.Equal("alert", kit.Outbox.Posts[key].DigestAs);
        Assert.Equal([$"alert-ack:{alert.Id}", $"alert-resolve:{alert.Id}", $"alert-mute:{alert.Id}"], kit.Outbox.Shown(key).Buttons.Select(b => b.ActionId));
    }

    [Fact]
    public async Task Acknowledge_EditsTheMessageWithWhoAndWhen_AndExpiresIntoFiring()
    {
        using var kit = await new AlertKit(o => o.AcknowledgementExpiry = TimeSpan.FromHours(1)).StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        var key = Assert.Single(kit.Outbox.TopLevel);

        var result = await kit.Service.AcknowledgeAsync(alert.Id, "Alice", Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(5));
        await kit.Service.TickAsync(Ct);

        Assert.True(result.Succeeded);
        Assert.Contains("acknowledged by Alice at 09:00 UTC", kit.Outbox.Shown(key).Text);
        Assert.Equal(AlertStatus.Acknowledged, (await kit.Service.GetAsync(alert.Id, Ct))!.Status);

        kit.Time.Advance(TimeSpan.FromMinutes(55));
        await kit.Service.TickAsync(Ct);

        var expired = (await kit.Service.GetAsync(alert.Id, Ct))!;
        Assert.Equal(AlertStatus.Firing, expired.Status);
        Assert.Null(expired.AcknowledgedBy);
        Assert.Contains("firing", kit.Outbox.Shown(key).Text);
        Assert.Contains(kit.Outbox.Replies(key), r => r.Contains("acknowledgement by Alice expired"));
        Assert.Single(kit.Outbox.TopLevel);
    }

    [Fact]
    public async Task Resolve_ThenFiringAgain_StartsANewMessage()
    {
        using var kit = await new AlertKit().StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        await kit.Service.ResolveAsync(alert.Id, "Bob", Ct);
        var refused = await kit.Service.ResolveAsync(alert.Id, "Bob", Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(3));
        var (refired, changed) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        Assert.False(refused.Succeeded);
        Assert.True(changed);
        Assert.Equal(2, refired.Generation);
        Assert.Equal(alert.Id, refired.Id);
        Assert.Equal(["alert:disk-web1:fired-1:webchat:alerts", "alert:disk-web1:fired-2:webchat:alerts"], kit.Outbox.TopLevel);
        Assert.Contains("resolved by Bob", kit.Outbox.Shown("alert:disk-web1:fired-1:webchat:alerts").Text);
        Assert.Contains("firing", kit.Outbox.Shown("alert:disk-web1:fired-2:webchat:alerts").Text);
    }

    [Fact]
    public async Task Receive_ManyFlipsInTheWindow_MarksFlapping()
    {
        using var kit = await new AlertKit(o => o.FlapThreshold = 4).StartAsync();
        Alert alert = null!;
        for (var i = 0; i < 4; i++)
        {
            (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(firing: i % 2 == 0), Ct);
            kit.Time.Advance(TimeSpan.FromMinutes(1));
        }

        (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        Assert.True(alert.Flapping);
        Assert.Contains("Flapping", string.Join('\n', kit.Outbox.Shown(kit.Outbox.TopLevel[^1]).Context));
    }

    [Fact]
    public async Task Receive_FlipsSpreadBeyondTheWindow_IsNotFlapping()
    {
        using var kit = await new AlertKit(o => (o.FlapThreshold, o.FlapWindow) = (3, TimeSpan.FromMinutes(10))).StartAsync();
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
        using var kit = await new AlertKit().StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        var key = Assert.Single(kit.Outbox.TopLevel);

        var muted = await kit.Service.MuteAsync("alertname=DiskFull", TimeSpan.FromMinutes(30), "Carol", Ct);
        var (held, _) = await kit.Service.ReceiveAsync(AlertKit.Signal("disk-web2"), Ct);

        Assert.True(muted.Succeeded);
        Assert.Single(muted.Alerts);
        Assert.Contains("Muted until", string.Join('\n', kit.Outbox.Shown(key).Context));
        Assert.Contains(kit.Outbox.Posts.Values, p => p.Message.Text.Contains("Carol muted `alertname=DiskFull`"));
        Assert.Single(kit.Outbox.TopLevel, k => k.StartsWith("alert:", StringComparison.Ordinal)); // the new one is held back
        Assert.NotEqual(held.Generation, held.Announced);

        kit.Time.Advance(TimeSpan.FromMinutes(31));
        await kit.Service.TickAsync(Ct);

        Assert.DoesNotContain("Muted", string.Join('\n', kit.Outbox.Shown(key).Context));
        Assert.Contains(kit.Outbox.Posts.Values, p => p.Message.Text.Contains("has expired"));
        Assert.Contains("alert:disk-web2:fired-1:webchat:alerts", kit.Outbox.TopLevel);
        Assert.Equal(AlertStatus.Firing, (await kit.Service.GetAsync(alert.Id, Ct))!.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alertname")]
    [InlineData("=x")]
    public async Task Mute_BadMatcher_IsRefusedAndChangesNothing(string matcher)
    {
        using var kit = await new AlertKit().StartAsync();
        await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        var result = await kit.Service.MuteAsync(matcher, TimeSpan.FromHours(1), "Carol", Ct);

        Assert.False(result.Succeeded);
        Assert.Empty(await kit.Store.SilencesAsync(kit.Time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task Mute_LongerThanMax_IsRefused()
    {
        using var kit = await new AlertKit(o => o.MaxMute = TimeSpan.FromDays(1)).StartAsync();

        var result = await kit.Service.MuteAsync("alertname=DiskFull", TimeSpan.FromDays(2), "Carol", Ct);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Escalation_StepsNotifyInOrderAndStopOnAcknowledge()
    {
        using var kit = await new AlertKit(o =>
        {
            o.OnCall["primary"] = new OnCallRotationOptions { Start = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero), Shift = TimeSpan.FromDays(7), People = ["alice", "bob"] };
            o.Contacts["bob"] = new Dictionary<string, string> { ["webchat"] = "bob.w" };
            o.Routes.Add(new AlertRouteOptions
            {
                Match = new Dictionary<string, string> { ["environment"] = "prod" },
                Escalation =
                [
                    new EscalationStepOptions { Wait = TimeSpan.FromMinutes(5), Notify = "oncall:primary", Repeat = 1 },
                    new EscalationStepOptions { Wait = TimeSpan.FromMinutes(10), Notify = "carol" },
                ],
            });
        }).StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        var key = Assert.Single(kit.Outbox.TopLevel);

        kit.Time.Advance(TimeSpan.FromMinutes(4));
        await kit.Service.TickAsync(Ct);
        Assert.DoesNotContain(kit.Outbox.Replies(key), r => r.Contains("📟"));

        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await kit.Service.TickAsync(Ct);
        // Week of 2026-11-16 is the first shift of the rotation: alice (no contact: mentioned by name).
        Assert.Single(kit.Outbox.Replies(key), r => r.Contains("📟 @alice"));

        kit.Time.Advance(TimeSpan.FromMinutes(5));
        await kit.Service.TickAsync(Ct);
        await kit.Service.TickAsync(Ct);
        Assert.Equal(2, kit.Outbox.Replies(key).Count(r => r.Contains("📟 @alice")));

        await kit.Service.AcknowledgeAsync(alert.Id, "Alice", Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(30));
        await kit.Service.TickAsync(Ct);
        Assert.DoesNotContain(kit.Outbox.Replies(key), r => r.Contains("@carol"));
    }

    [Fact]
    public async Task Escalation_OnCallOfTheWeek_IsMentionedOnTheirPlatform()
    {
        using var kit = await new AlertKit(o =>
        {
            o.OnCall["primary"] = new OnCallRotationOptions { Start = new DateTimeOffset(2026, 11, 9, 0, 0, 0, TimeSpan.Zero), Shift = TimeSpan.FromDays(7), People = ["alice", "bob"] };
            o.Contacts["bob"] = new Dictionary<string, string> { ["webchat"] = "bob.w", ["slack"] = "U123" };
            o.Channels = ["webchat:alerts", "slack:C1"];
            o.Routes.Add(new AlertRouteOptions { Escalation = [new EscalationStepOptions { Wait = TimeSpan.FromMinutes(1), Notify = "oncall:primary" }] });
        }).StartAsync();
        await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);

        kit.Time.Advance(TimeSpan.FromMinutes(2));
        await kit.Service.TickAsync(Ct);

        Assert.Single(kit.Outbox.Replies("alert:disk-web1:fired-1:webchat:alerts"), r => r.Contains("📟 @bob.w"));
        Assert.Single(kit.Outbox.Replies("alert:disk-web1:fired-1:slack:C1"), r => r.Contains("📟 <@U123>"));
    }

    [Fact]
    public async Task Receive_SoonAfterADeploymentToItsEnvironment_SaysSo()
    {
        using var kit = await new AlertKit(o => o.DeploymentWindow = TimeSpan.FromMinutes(30)).StartAsync();
        await kit.Service.RecordDeploymentAsync("prod", kit.Time.GetUtcNow(), "provision of prod 1.4.2 by dave", Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(4));

        var (near, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        var (other, _) = await kit.Service.ReceiveAsync(AlertKit.Signal("disk-test", environment: "test"), Ct);

        Assert.Equal("Started 4 minutes after provision of prod 1.4.2 by dave", near.DeploymentNote);
        Assert.Null(other.DeploymentNote);
        Assert.Contains("🚀 Started 4 minutes after", string.Join('\n', kit.Outbox.Shown("alert:disk-web1:fired-1:webchat:alerts").Context));
    }

    [Fact]
    public async Task Route_FirstMatchWins_ElseDefaultChannels()
    {
        using var kit = await new AlertKit(o => o.Routes.Add(new AlertRouteOptions { Match = new Dictionary<string, string> { ["environment"] = "test" }, Channels = ["webchat:test-alerts"] })).StartAsync();

        await kit.Service.ReceiveAsync(AlertKit.Signal("a"), Ct);
        await kit.Service.ReceiveAsync(AlertKit.Signal("b", environment: "test"), Ct);

        Assert.Equal(["alert:a:fired-1:webchat:alerts", "alert:b:fired-1:webchat:test-alerts"], kit.Outbox.TopLevel);
    }

    [Fact]
    public async Task Republish_AfterCrashBetweenStateAndOutbox_QueuesTheMissingPostOnce()
    {
        using var kit = await new AlertKit().StartAsync();
        await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        kit.Outbox.Posts.Clear(); // as if the process died before the outbox write

        await kit.Service.RepublishAsync(Ct);
        await kit.Service.RepublishAsync(Ct);

        Assert.Single(kit.Outbox.TopLevel);
    }

    [Fact]
    public async Task Republish_LongAfterTheLastChange_QueuesNoEdit()
    {
        using var kit = await new AlertKit().StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(), Ct);
        await kit.Service.AcknowledgeAsync(alert.Id, "Alice", Ct);
        kit.Outbox.Edits.Clear();

        kit.Time.Advance(TimeSpan.FromMinutes(5));
        await kit.Service.RepublishAsync(Ct);
        var recent = kit.Outbox.Edits.Count;
        kit.Outbox.Edits.Clear();
        kit.Time.Advance(TimeSpan.FromHours(1));
        await kit.Service.RepublishAsync(Ct);

        Assert.Equal(1, recent); // within the crash window the edit may have been lost: queued again
        Assert.Empty(kit.Outbox.Edits);
    }

    [Fact]
    public async Task Acknowledge_UnknownOrResolved_IsRefused()
    {
        using var kit = await new AlertKit().StartAsync();
        var (alert, _) = await kit.Service.ReceiveAsync(AlertKit.Signal(firing: false), Ct);

        Assert.Contains("no alert #99", (await kit.Service.AcknowledgeAsync(99, "Alice", Ct)).Refusal);
        Assert.Contains("already resolved", (await kit.Service.AcknowledgeAsync(alert.Id, "Alice", Ct)).Refusal);
        Assert.Empty(kit.Outbox.Posts); // first seen already resolved: nothing to announce
    }
}
