using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Tests.Metrics;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

public sealed class OutboxMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scrape_WaitingAndFailedMessages_RendersGaugesPerDestination()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var odd = new ChatDestination("webchat", "a\"b\\c");
        await harness.Outbox.EnqueuePostAsync("1", OutboxHarness.Alerts, OutgoingMessage.Plain("one"), cancellationToken: Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(90));
        await harness.Outbox.EnqueuePostAsync("2", OutboxHarness.Alerts, OutgoingMessage.Plain("two"), cancellationToken: Ct);
        await harness.Outbox.EnqueuePostAsync("3", odd, OutgoingMessage.Plain("three"), cancellationToken: Ct);
        var webchat = new RecordingChatSender("webchat");
        webchat.Failures.Enqueue(new FakeSendFailure("gone", isPermanent: true));
        var slack = new RecordingChatSender("slack");
        slack.Failures.Enqueue(new FakeSendFailure("ratelimited", TimeSpan.FromHours(1)));
        await harness.CreateWorker(webchat, slack).RunOnceAsync(Ct);
        await harness.Outbox.EnqueuePostAsync("4", odd, OutgoingMessage.Plain("four"), cancellationToken: Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(0.5));

        var text = await Scrape(harness);

        Assert.Equal(
            """
            # HELP chatops_outbox_depth Messages waiting to be sent, per destination.
            # TYPE chatops_outbox_depth gauge
            chatops_outbox_depth{destination="slack:C-ALERTS"} 2
            chatops_outbox_depth{destination="webchat:a\"b\\c"} 1
            # HELP chatops_outbox_oldest_age_seconds Age of the oldest waiting message, per destination.
            # TYPE chatops_outbox_oldest_age_seconds gauge
            chatops_outbox_oldest_age_seconds{destination="slack:C-ALERTS"} 90.5
            chatops_outbox_oldest_age_seconds{destination="webchat:a\"b\\c"} 0.5
            # HELP chatops_outbox_failed Messages given up on after their last attempt, per destination.
            # TYPE chatops_outbox_failed gauge
            chatops_outbox_failed{destination="slack:C-ALERTS"} 0
            chatops_outbox_failed{destination="webchat:a\"b\\c"} 1

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public async Task Scrape_EmptyOutbox_OnlyHelpAndType()
    {
        using var harness = await OutboxHarness.CreateAsync();

        var lines = (await Scrape(harness)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.All(lines, l => Assert.StartsWith("# ", l, StringComparison.Ordinal));
        Assert.Equal(6, lines.Length);
    }

    private static Task<string> Scrape(OutboxHarness harness) =>
        MeterHost.ScrapeAsync(factory => new OutboxMeter(harness.Metrics, factory), Ct);
}
