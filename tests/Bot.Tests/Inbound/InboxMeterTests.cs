using System.Diagnostics.Metrics;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>The inbox's gauges over a real store: what waits, what runs, and how long the oldest has waited.</summary>
public sealed class InboxMeterTests : IAsyncLifetime
{
    private static readonly ChatDestination Ops = new("webchat", "ops");
    private TestState _state = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    [Fact]
    public async Task Scrape_TwoWaitingAndOneRunning_CountsEachAndAgesTheOldestWaiting()
    {
        await _state.Inbox.ReceiveAsync(Say("carol", "d1"), 10, Ct);
        _state.Time.Advance(TimeSpan.FromSeconds(30));
        await _state.Inbox.ReceiveAsync(Say("carol", "d2"), 10, Ct); // behind carol's first: waits
        _state.Time.Advance(TimeSpan.FromSeconds(10));
        await _state.Inbox.ReceiveAsync(Say("dave", "d3"), 10, Ct);
        Assert.Equal("d1", Assert.Single(await _state.StartNextAsync([], 1, Ct)).DeliveryId);
        _state.Time.Advance(TimeSpan.FromSeconds(5));

        var text = await ScrapeAsync();

        Assert.Contains("chatops_inbox_waiting 2\n", text, StringComparison.Ordinal);
        Assert.Contains("chatops_inbox_running 1\n", text, StringComparison.Ordinal);
        Assert.Contains("chatops_inbox_oldest_wait_seconds 15\n", text, StringComparison.Ordinal); // d2, received 15 s ago
    }

    [Fact]
    public async Task Scrape_AllFinished_ReportsNothingWaiting()
    {
        await _state.Inbox.ReceiveAsync(Say("carol", "d1"), 10, Ct);
        var started = Assert.Single(await _state.StartNextAsync([], 1, Ct));
        await _state.Inbox.FinishAsync(started.Seq, Ct);

        var text = await ScrapeAsync();

        Assert.Contains("chatops_inbox_waiting 0\n", text, StringComparison.Ordinal);
        Assert.Contains("chatops_inbox_running 0\n", text, StringComparison.Ordinal);
        Assert.Contains("chatops_inbox_oldest_wait_seconds 0\n", text, StringComparison.Ordinal);
    }

    private static ChatRequest Say(string user, string deliveryId) =>
        new(Ops, new ChatUser("webchat", user, user), "/env status test", deliveryId, $"msg-{deliveryId}", null);

    private async Task<string> ScrapeAsync()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var exporter = new PrometheusExporter(factory, [new InboxMeter(_state.Inbox, _state.Time, factory)]);
        return await exporter.ScrapeAsync(Ct);
    }
}
