using System.Globalization;
using System.Net.Http.Json;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests.Replicas;

/// <summary>
/// kill -9 of the replica running the pulse schedule: the next pulse is posted by another replica, on time (the next
/// window plus <c>Replicas:DeadAfter</c>), and no window is posted twice, the one the killed replica had just posted
/// included (the new holder measures it again when it takes over).
/// </summary>
public sealed class ReplicaPulseTests
{
    private const string Prefix = "pulse:logins:";
    private const string Destination = "webchat:pulse";
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(10);

    // One KPI on the shortest schedule the pulse has (a minute), asked every second; a noise threshold of 0 makes
    // every window "move", so each one is posted and a missing post cannot be a quiet minute.
    private static Dictionary<string, string> PulseEveryMinute => new()
    {
        ["Radiator__Pulse__Tick"] = "00:00:01",
        ["Radiator__Pulse__Channels__0"] = Destination,
        ["Radiator__Pulse__Kpis__0__Name"] = "logins",
        ["Radiator__Pulse__Kpis__0__Key"] = "logins",
        ["Radiator__Pulse__Kpis__0__Aggregation"] = "Count",
        ["Radiator__Pulse__Kpis__0__Window"] = "00:01:00",
        ["Radiator__Pulse__Kpis__0__NoiseThreshold"] = "0",
        ["Replicas__DeadAfter"] = "00:00:10",
    };

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task KillReplicaRunningThePulse_NextPulseComesFromAnotherOnTimeAndOnce(StorageProvider provider)
    {
        await using var set = await ReplicaSet.StartAsync(1, PulseEveryMinute, provider);
        // The last ten minutes hold logins before the first window is due, so the first pulse is not "data late".
        await IngestAsync(set.Bots["replica-a"].Http, History(TimeProvider.System.GetUtcNow()), TestContext.Current.CancellationToken);

        // Logins keep arriving, through whichever replicas are alive, so every window has fresh data. Fed from now on:
        // the history's newest login is a minute old, and a window measured while the others start (slow on a loaded
        // machine) would otherwise be "data late", then posted again as a pulse once data came.
        var live = set.Bots.Values.ToList();
        using var stopFeeding = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var feeding = FeedAsync(() => Volatile.Read(ref live), stopFeeding.Token);
        await set.StartOneAsync("replica-b", PulseEveryMinute);
        await set.StartOneAsync("replica-c", PulseEveryMinute);
        Volatile.Write(ref live, set.Bots.Values.ToList());

        var first = await Wait.ForAsync(async () => await SentAsync(set) is [.., var last] ? last : null,
            "the first scheduled pulse to be posted", within: Every + TimeSpan.FromSeconds(30), lastSeen: () => set.Output);
        var holder = (string)(await set.ScalarAsync("SELECT holder FROM schedule_leases WHERE name = 'pulse'"))!;
        var token = (long)(await set.ScalarAsync("SELECT token FROM schedule_leases WHERE name = 'pulse'"))!;
        Volatile.Write(ref live, [.. set.Bots.Where(b => b.Key != holder).Select(b => b.Value)]);
        var killedAt = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        set.Bots[holder].Kill();

        // The bound is the promise: the next window's boundary is at most a minute away, and by then (or DeadAfter
        // after the kill, whichever is later) a survivor holds the schedule. Queued after the kill, so not by the dead.
        var next = await Wait.ForAsync(async () => (await SentAsync(set)).FirstOrDefault(p => p.WindowEnd > first.WindowEnd && p.QueuedAt >= killedAt),
            $"a pulse for a window after {first.WindowEnd:HH:mm} queued after {holder} was killed", within: Every + DeadAfter + TimeSpan.FromSeconds(5),
            lastSeen: () => set.Output);
        await stopFeeding.CancelAsync();
        await feeding;

        var newHolder = (string)(await set.ScalarAsync("SELECT holder FROM schedule_leases WHERE name = 'pulse'"))!;
        Assert.NotEqual(holder, newHolder);
        Assert.True((long)(await set.ScalarAsync("SELECT token FROM schedule_leases WHERE name = 'pulse'"))! > token);
        await Wait.UntilAsync(async () => (long)(await set.ScalarAsync($"SELECT COUNT(*) FROM chat_outbox WHERE key LIKE '{Prefix}%' AND status IN ('pending', 'claimed')"))! == 0,
            "the pulse posts queued so far to be sent", lastSeen: () => set.Output);

        // Once per window: one post per window among the pulse's keys, and one message in the channel per post.
        var sent = await SentAsync(set);
        var twice = sent.GroupBy(p => p.WindowEnd).Where(g => g.Count() > 1).Select(g => $"{g.Key:HH:mm}: {string.Join(", ", g.Select(p => p.Key))}").ToList();
        Assert.True(twice.Count == 0, $"Windows posted more than once:\n{string.Join("\n", twice)}");
        // The very next window: the handover skipped none.
        Assert.Equal(first.WindowEnd + Every, next.WindowEnd);
        Assert.Contains(sent, p => p.WindowEnd == first.WindowEnd);
        Assert.Equal((long)sent.Count, await set.ScalarAsync("SELECT COUNT(*) FROM webchat_messages WHERE channel = 'pulse' AND thread_of IS NULL AND \"user\" = 'bot'"));
        Assert.Equal(0L, await set.ScalarAsync($"SELECT COUNT(*) FROM chat_outbox WHERE key LIKE '{Prefix}%' AND status NOT IN ('sent', 'pending', 'claimed')"));
        // The new holder says so in its log (the console logger writes a moment after the lease changed).
        await Wait.UntilAsync(() => set.Bots[newHolder].Output.Contains($"Replica {newHolder} runs the pulse schedule now", StringComparison.Ordinal),
            $"{newHolder} to log that it runs the pulse", lastSeen: () => set.Bots[newHolder].Output);
    }

    /// <summary>The pulse's posts that were sent, oldest window first, with the window each reports and when it was queued.</summary>
    private static async Task<IReadOnlyList<PulsePost>> SentAsync(ReplicaSet set)
    {
        var rows = await set.RowsAsync($"SELECT key, queued_at FROM chat_outbox WHERE key LIKE '{Prefix}%' AND status = 'sent'");
        return [.. rows.Select(r => PulsePost.Parse((string)r[0]!, Convert.ToInt64(r[1], CultureInfo.InvariantCulture))).OrderBy(p => p.WindowEnd)];
    }

    /// <summary>A few logins each second, to a replica that is alive, until stopped.</summary>
    private static async Task FeedAsync(Func<IReadOnlyList<BotProcess>> live, CancellationToken cancellationToken)
    {
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            var replicas = live();
            var target = replicas[i % replicas.Count];
            try
            {
                var now = TimeProvider.System.GetUtcNow();
                await IngestAsync(target.Http, [.. Enumerable.Range(0, 1 + (i % 3)).Select(_ => Login(now))], cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException) when (!live().Contains(target))
            {
                // The replica was killed while this went to it; the next goes to one that is alive.
            }
        }
    }

    /// <summary>Logins in each of the last ten whole minutes, a different number each minute.</summary>
    private static object[] History(DateTimeOffset now) =>
        [.. Enumerable.Range(1, 10).SelectMany(minute => Enumerable.Range(0, minute).Select(i => Login(now.AddMinutes(-minute).AddSeconds(i))))];

    private static object Login(DateTimeOffset at) => new { timestamp = at.ToString("O", CultureInfo.InvariantCulture), key = "logins", value = 1 };

    private static async Task IngestAsync(HttpClient replica, object[] events, CancellationToken cancellationToken)
    {
        using var response = await replica.PostAsJsonAsync("/api/events", events, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>One pulse post: its outbox key <c>pulse:{kpi}:{window end}[:late]:{destination}</c>, read back.</summary>
    private sealed record PulsePost(string Key, DateTimeOffset WindowEnd, long QueuedAt)
    {
        public static PulsePost Parse(string key, long queuedAt)
        {
            var middle = key[Prefix.Length..^(Destination.Length + 1)];
            var windowEnd = middle.EndsWith(":late", StringComparison.Ordinal) ? middle[..^":late".Length] : middle;
            return new PulsePost(key, DateTimeOffset.Parse(windowEnd, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), queuedAt);
        }
    }
}
