using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using ChatOps.Radiator.Alerts;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>
/// A real alert service over SQLite in a temporary folder, on a manual clock, publishing into the real
/// chat outbox. Its real dispatcher delivers to stand-ins for web chat and Slack, only when a test asks
/// (<see cref="DeliverAsync"/>, or any of the read helpers, which deliver first), so tests see what the
/// channels show at given points.
/// </summary>
internal sealed class AlertKit : IAsyncDisposable
{
    private readonly string _root;
    private readonly OutboxKit _outbox;

    private AlertKit(string root, AlertOptions options, ContactDirectory contacts, FakeTimeProvider time, StateDatabase database, OutboxKit outbox, FakeChatSender chat, FakeChatSender slack)
    {
        _root = root;
        _outbox = outbox;
        Options = options;
        Time = time;
        Database = database;
        Chat = chat;
        Slack = slack;
        Routing = new AlertRouting(Options, contacts);
        Store = new AlertStore(Database, new AlertDueTimes(Microsoft.Extensions.Options.Options.Create(Options), Routing));
        Ownership = new ScheduleOwnership(new ScheduleLeaseStore(Database), TestStore.Replica, time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ScheduleOwnership>.Instance);
        var publisher = new AlertPublisher(Outbox, Store, Routing, Time);
        Service = new AlertService(Store, publisher, Routing, Microsoft.Extensions.Options.Options.Create(Options), Time,
            RadiatorTestKitLogger.Create<AlertService>());
        Watch = new AlertWatchStore(Database);
        Health = new AlertSourceHealth(publisher, Watch, Microsoft.Extensions.Options.Options.Create(Options), Time);
    }

    public FakeTimeProvider Time { get; }

    public AlertOptions Options { get; }

    /// <summary>The real outbox the alerts are published into.</summary>
    public IChatOutbox Outbox => _outbox.Outbox;

    /// <summary>The web chat platform: what every <c>webchat:…</c> channel received.</summary>
    public FakeChatSender Chat { get; }

    /// <summary>The Slack platform: what every <c>slack:…</c> channel received.</summary>
    public FakeChatSender Slack { get; }

    public StateDatabase Database { get; }

    public AlertStore Store { get; }

    public ScheduleOwnership Ownership { get; }

    public AlertRouting Routing { get; }

    public AlertWatchStore Watch { get; }

    public AlertService Service { get; }

    public AlertSourceHealth Health { get; }

    /// <summary>Where the kit's clock starts: the alert tests read times and on-call weeks off it.</summary>
    public static DateTimeOffset Start { get; } = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    /// <param name="configure">Changes to the alert options.</param>
    /// <param name="delivery">
    /// <c>ChatDelivery:…</c> settings. By default neither platform is paced, so one delivery sends
    /// everything queued and nothing is digested.
    /// </param>
    /// <param name="people">Each person's accounts (<c>Identity:People</c>), for escalation mentions.</param>
    public static async Task<AlertKit> StartAsync(Action<AlertOptions>? configure = null, Dictionary<string, string?>? delivery = null,
        Dictionary<string, List<string>>? people = null)
    {
        var root = Directory.CreateTempSubdirectory("alerts-").FullName;
        var options = new AlertOptions { Channels = [AlertOptions.DefaultChannel], GroupBy = ["alertname", "environment"] };
        configure?.Invoke(options);
        var time = new FakeTimeProvider(Start);
        var settings = new Dictionary<string, string?> { ["ChatDelivery:Limits:slack:TokenInterval"] = "00:00:00" };
        foreach (var (key, value) in delivery ?? [])
        {
            settings[key] = value;
        }

        FakeChatSender chat = new("webchat"), slack = new("slack");
        var outbox = await OutboxKit.OpenAsync(root, time, [chat, slack], settings);
        var database = new StateDatabase(Microsoft.Extensions.Options.Options.Create((await TestStateStores.Of(root).GetAsync("alerts.db")).Options()),
            [new CoordinationSchema(), new AlertSchema()], new Host(root));
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        return new AlertKit(root, options, new ContactDirectory(people), time, database, outbox, chat, slack);
    }

    public static AlertSignal Signal(string fingerprint = "disk-web1", bool firing = true, string environment = "prod") =>
        new(fingerprint, firing, "Disk full on web1", "critical", new Dictionary<string, string> { ["alertname"] = "DiskFull", ["environment"] = environment }, null, "/var is full", "webhook");

    /// <summary>Runs the real dispatcher until everything queued is on the platforms (see <see cref="OutboxKit.DeliverAsync"/>).</summary>
    public Task DeliverAsync(FakeTimeProvider? clock = null) => _outbox.DeliverAsync(clock);

    /// <summary>
    /// Delivers, then the platform's id of the post queued as <paramref name="key"/>, as the real outbox
    /// recorded it; fails if that post was never delivered.
    /// </summary>
    public async Task<string> MessageIdAsync(string key)
    {
        await DeliverAsync();
        var id = await Outbox.GetMessageIdAsync(key, TestContext.Current.CancellationToken);
        Assert.True(id is not null, $"nothing was delivered for {key}");
        return id;
    }

    /// <summary>Delivers, then what the channel shows now (after every edit) for the post queued as <paramref name="key"/>.</summary>
    public async Task<OutgoingMessage> ShownAsync(string key) => SenderOf(key).Shown(await MessageIdAsync(key));

    /// <summary>Delivers, then the texts posted in the thread of the post queued as <paramref name="key"/>.</summary>
    public async Task<List<string>> RepliesAsync(string key) => SenderOf(key).Replies(await MessageIdAsync(key));

    /// <summary>
    /// Delivers, then the keys the alert messages posted at the top level of any channel carry (as web chat
    /// and Slack keep them), in key order. Notices and thread replies are not alert messages.
    /// </summary>
    public async Task<List<string>> AlertPostsAsync()
    {
        await DeliverAsync();
        return [.. Chat.TopLevel.Concat(Slack.TopLevel).Select(p => p.Message.DeliveryKey ?? "")
            .Where(k => k.StartsWith("alert:", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Delivers, then the texts of top-level posts containing <paramref name="containing"/>, on any platform.</summary>
    public async Task<List<string>> NoticesAsync(string containing)
    {
        await DeliverAsync();
        return [.. Chat.TopLevel.Concat(Slack.TopLevel).Select(p => p.Message.Text).Where(t => t.Contains(containing, StringComparison.Ordinal))];
    }

    public async ValueTask DisposeAsync()
    {
        Service.Dispose();
        await _outbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await TestStateStores.Of(_root).DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Only a temp folder left behind.
        }
    }

    /// <summary>An alert's keys end with its destination (<c>…:slack:C1</c>): that platform shows it.</summary>
    private FakeChatSender SenderOf(string key) =>
        key.Contains($":{Slack.Platform}:", StringComparison.Ordinal) ? Slack : Chat;

    private sealed class Host(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "Radiator.Tests";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

internal static class RadiatorTestKitLogger
{
    public static Microsoft.Extensions.Logging.ILogger<T> Create<T>() => TestStore.Logger<T>();
}
