using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;

namespace ChatOps.Bot.FunctionalTests.Replicas;

/// <summary>
/// Alertmanager's webhooks spread over three replicas on one store: every alert is posted to its channel once, however
/// the deliveries fall (round-robin in a burst, or the same alert to two replicas at the same moment). Counted where the
/// posts land, the web chat's stored messages (the alerts' default destination), by the number in each alert's title.
/// </summary>
public sealed partial class ReplicaAlertTests
{
    // Alertmanager groups alerts into one notification; ten per webhook is a busy group's size.
    private const int PerWebhook = 10;

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Burst_1000AlertsRoundRobinOverThreeReplicas_EachPostedOnce(StorageProvider provider)
    {
        const int Alerts = 1000;
        await using var set = await ReplicaSet.StartAsync(3, provider: provider);
        var replicas = set.Bots.Values.ToList();
        var webhooks = Enumerable.Range(0, Alerts / PerWebhook)
            .Select(w => Webhook("Burst", Enumerable.Range(w * PerWebhook, PerWebhook)))
            .ToList();

        // Webhook w goes to replica w mod 3, several in flight at once, as Alertmanager's notifications through a balancer.
        await Parallel.ForEachAsync(Enumerable.Range(0, webhooks.Count), new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = TestContext.Current.CancellationToken },
            async (w, cancellationToken) => await PostAsync(replicas[w % replicas.Count].Http, webhooks[w], cancellationToken));

        var posts = await SettledPostsAsync(set, Alerts);

        Assert.Equal(Enumerable.Range(0, Alerts), posts.Keys.Order());
        var repeated = posts.Where(p => p.Value > 1).Select(p => $"alert {p.Key} posted {p.Value} times").ToList();
        Assert.True(repeated.Count == 0, string.Join("\n", repeated));
        Assert.Equal((long)Alerts, await set.ScalarAsync("SELECT COUNT(*) FROM radiator_alerts WHERE fingerprint LIKE 'burst-%'"));
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task SameAlert_ToTwoReplicasAtOnce_PostedOnce(StorageProvider provider)
    {
        const int Alerts = 20;
        await using var set = await ReplicaSet.StartAsync(3, provider: provider);
        var (a, b) = (set.Bots["replica-a"].Http, set.Bots["replica-b"].Http);

        // Each alert alone in its notification, sent to two replicas together: an Alertmanager pair (each notifies on
        // its own) or a retry that overtook the first delivery.
        for (var i = 0; i < Alerts; i++)
        {
            var webhook = Webhook("Twice", [i]);
            await Task.WhenAll(PostAsync(a, webhook, TestContext.Current.CancellationToken), PostAsync(b, webhook, TestContext.Current.CancellationToken));
        }

        var posts = await SettledPostsAsync(set, Alerts);

        Assert.Equal(Enumerable.Range(0, Alerts), posts.Keys.Order());
        var repeated = posts.Where(p => p.Value > 1).Select(p => $"alert {p.Key} posted {p.Value} times").ToList();
        Assert.True(repeated.Count == 0, string.Join("\n", repeated));
        Assert.Equal((long)Alerts, await set.ScalarAsync("SELECT COUNT(*) FROM radiator_alerts WHERE fingerprint LIKE 'twice-%'"));
    }

    /// <summary>
    /// Waits until every alert's message is in the channel and nothing is left to send, then counts the bot's top-level
    /// messages in <c>#alerts</c> by the alert number in them.
    /// </summary>
    private static async Task<IReadOnlyDictionary<int, int>> SettledPostsAsync(ReplicaSet set, int alerts)
    {
        var posts = new Dictionary<int, int>();
        await Wait.UntilAsync(async () =>
            {
                posts = await PostsAsync(set);
                return posts.Count >= alerts
                    && (long)(await set.ScalarAsync("SELECT COUNT(*) FROM chat_outbox WHERE status IN ('pending', 'claimed')"))! == 0
                    && (long)(await set.ScalarAsync("SELECT COUNT(*) FROM chat_outbox_edits WHERE status IN ('pending', 'claimed')"))! == 0;
            },
            // A thousand alerts on PostgreSQL on a loaded two-core machine: a bound that only turns a hang into a failure.
            $"all {alerts} alerts posted and the outbox drained", within: TimeSpan.FromMinutes(5),
            lastSeen: () => $"{posts.Count} alerts posted so far\n{set.Output}");
        return posts;
    }

    private static async Task<Dictionary<int, int>> PostsAsync(ReplicaSet set)
    {
        var texts = await set.RowsAsync("SELECT text FROM webchat_messages WHERE channel = 'alerts' AND thread_of IS NULL AND \"user\" = 'bot'");
        var posts = new Dictionary<int, int>();
        foreach (var text in texts.Select(r => (string)r[0]!))
        {
            // A group's lead lists its members by their # id, never by title, so each message names one alert.
            var numbers = Title().Matches(text).Select(m => int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)).Distinct().ToList();
            Assert.True(numbers.Count == 1, $"One alert title expected in a post, got {numbers.Count}: {text}");
            posts[numbers[0]] = posts.GetValueOrDefault(numbers[0]) + 1;
        }

        return posts;
    }

    /// <summary>Alertmanager's webhook (version 4) with one firing alert per number, all in the group of <paramref name="name"/>.</summary>
    private static object Webhook(string name, IEnumerable<int> numbers) => new
    {
        version = "4",
        status = "firing",
        receiver = "chatops",
        groupKey = $"{{}}:{{alertname=\"{name}\"}}",
        groupLabels = new { alertname = name },
        commonLabels = new { alertname = name, environment = "test" },
        externalURL = "http://alertmanager.example:9093",
        alerts = numbers.Select(n => new
        {
            status = "firing",
            labels = new { alertname = name, environment = "test", severity = "warning", instance = $"host-{n:0000}" },
            annotations = new { summary = $"{name} alert {n:0000} on host-{n:0000}" },
            // When the alert began; a minute ago is not ahead of any replica's clock.
            startsAt = TimeProvider.System.GetUtcNow().AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture),
            endsAt = "0001-01-01T00:00:00Z",
            generatorURL = "http://prometheus.example:9090/graph",
            fingerprint = $"{name.ToLowerInvariant()}-{n:0000}",
        }).ToArray(),
    };

    private static async Task PostAsync(HttpClient replica, object webhook, CancellationToken cancellationToken)
    {
        using var response = await replica.PostAsJsonAsync("/api/alerts", webhook, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{replica.BaseAddress} answered {(int)response.StatusCode}: {body}");
        Assert.Empty(JsonDocument.Parse(body).RootElement.GetProperty("rejected").EnumerateArray());
    }

    [GeneratedRegex(@"\b(?:Burst|Twice) alert (?<n>\d{4})\b")]
    private static partial Regex Title();
}
