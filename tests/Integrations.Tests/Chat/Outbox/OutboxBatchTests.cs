using System.Collections.Concurrent;
using System.Globalization;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

/// <summary>
/// A destination's waiting rows are claimed several at a time (<see cref="OutboxSender.ClaimBatch"/>) and sent in order;
/// what a pause or a running-out claim stops before it is sent goes back as if never claimed, and still goes out once.
/// </summary>
public sealed class OutboxBatchTests
{
    private static readonly ChatDestination WebChat = new("webchat", "alerts");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunOnceAsync_ManyWaiting_ClaimedABatchAtATimeAndSentInOrderEachOnce()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var statusesAtFirstSend = new List<string>();
        var sender = new SteppingChatSender("webchat", async (n, _) =>
        {
            if (n == 1)
            {
                statusesAtFirstSend.AddRange((await harness.RowsAsync()).Select(r => r.Status));
            }
        });
        var keys = await EnqueueAsync(harness, 40);

        await harness.CreateWorker(sender).RunOnceAsync(Ct);

        Assert.Equal([.. Enumerable.Repeat("claimed", OutboxSender.ClaimBatch), .. Enumerable.Repeat("pending", 40 - OutboxSender.ClaimBatch)], statusesAtFirstSend);
        Assert.Equal(keys.Select(Text), sender.Posts.Select(p => p.Message.Text));
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("sent", r.Status));
    }

    [Fact]
    public async Task RunOnceAsync_RetryAfterMidBatch_RestGoBackUnclaimedAndGoOutOnceAfterThePause()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new SteppingChatSender("webchat", (n, _) => n == 3 ? throw new FakeSendFailure("ratelimited", TimeSpan.FromSeconds(30)) : Task.CompletedTask);
        var keys = await EnqueueAsync(harness, 8);
        var sut = harness.CreateWorker(sender);

        await sut.RunOnceAsync(Ct);

        Assert.Equal(keys.Take(2).Select(Text), sender.Posts.Select(p => p.Message.Text));
        var rest = await RestAsync(harness, keys.Skip(3));
        Assert.All(rest, r => Assert.Equal(("pending", 0L, true), (r.Status, r.Attempts, r.NeverAttempted)));
        Assert.All(rest, r => Assert.Equal(harness.Time.GetUtcNow().AddSeconds(30).ToUnixTimeMilliseconds(), r.DueAt));

        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await sut.RunOnceAsync(Ct);
        Assert.Equal(2, sender.Posts.Count());

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await sut.RunOnceAsync(Ct);

        Assert.Equal(keys.Select(Text), sender.Posts.Select(p => p.Message.Text));
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("sent", r.Status));
    }

    [Fact]
    public async Task RunOnceAsync_SlowSendsWouldOutlastTheClaim_NoSendStartsWithoutAWholeSendTimeoutOfClaimLeftAndEachGoesOutOnce()
    {
        // Each send takes half the send timeout and the lease is two send timeouts: from the third of a batch on, a send
        // started on the batch's claim could still be under way when that claim runs out and another replica takes it.
        using var harness = await OutboxHarness.CreateAsync();
        var claimLeftAtSend = new List<TimeSpan>();
        var sender = new SteppingChatSender("webchat", async (_, message) =>
        {
            var leaseUntil = await harness.ScalarAsync<long>("SELECT lease_until FROM chat_outbox WHERE key = @key", ("@key", message.Text!["posted ".Length..]));
            claimLeftAtSend.Add(DateTimeOffset.FromUnixTimeMilliseconds(leaseUntil) - harness.Time.GetUtcNow());
            harness.Time.Advance(harness.Options.SendTimeout / 2);
        });
        var keys = await EnqueueAsync(harness, 6);
        Assert.Equal(harness.Options.SendTimeout * 2, harness.Options.ClaimLease);

        await harness.CreateWorker(sender).RunOnceAsync(Ct);

        Assert.Equal(keys.Select(Text), sender.Posts.Select(p => p.Message.Text));
        Assert.Equal(keys.Count, claimLeftAtSend.Count);
        Assert.All(claimLeftAtSend, left => Assert.True(left > harness.Options.SendTimeout, $"a send started with {left} of its claim left"));
        Assert.All(await RestAsync(harness, keys), r => Assert.Equal(("sent", 1L), (r.Status, r.Attempts)));
    }

    private static async Task<List<string>> EnqueueAsync(OutboxHarness harness, int count)
    {
        var keys = Enumerable.Range(1, count).Select(i => $"alert:{i.ToString("000", CultureInfo.InvariantCulture)}").ToList();
        foreach (var key in keys)
        {
            await harness.Outbox.EnqueuePostAsync(key, WebChat, OutgoingMessage.Plain(Text(key)), digestAs: "alert", cancellationToken: Ct);
        }

        return keys;
    }

    private static string Text(string key) => $"posted {key}";

    private static Task<List<(string Status, long Attempts, bool NeverAttempted, long DueAt)>> RestAsync(OutboxHarness harness, IEnumerable<string> keys) =>
        harness.Database.ReadAsync(c => c.QueryAsync(
            $"SELECT status, attempts, attempted_at, due_at FROM chat_outbox WHERE key IN ({string.Join(", ", keys.Select(k => $"'{k}'"))}) ORDER BY seq", null,
            r => (r.GetString(0), r.GetInt64(1), r.IsDBNull(2), r.GetInt64(3)), Ct), Ct);

    /// <summary>Posts with ids m1, m2…, running <paramref name="beforePost"/> with the attempt's number and message first (it may throw to fail it).</summary>
    private sealed class SteppingChatSender(string platform, Func<int, OutgoingMessage, Task> beforePost) : IChatSender
    {
        private readonly ConcurrentQueue<SentCall> _calls = new();
        private int _attempts;

        public string Platform => platform;

        public IEnumerable<SentCall> Posts => _calls.Where(c => c.Verb == "post");

        public async Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
        {
            await beforePost(Interlocked.Increment(ref _attempts), message);
            var id = $"m{_calls.Count + 1}";
            _calls.Enqueue(new SentCall("post", destination, message, threadOf, id));
            return id;
        }

        public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            _calls.Enqueue(new SentCall("update", destination, message, null, messageId));
            return Task.CompletedTask;
        }
    }
}
