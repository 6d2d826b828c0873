using System.Collections.Concurrent;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Delivery;
using ChatOps.Integrations.Storage;
using ChatOps.Radiator.Alerts;
using ChatOps.TestCommon;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>An outbox that keeps what was queued: posts by key (once each, as the real one) and the newest edit per key.</summary>
public sealed class RecordingOutbox : IChatOutbox
{
    public ConcurrentDictionary<string, (ChatDestination Destination, OutgoingMessage Message, string? ThreadOf, string? DigestAs)> Posts { get; } = new();

    public ConcurrentDictionary<string, OutgoingMessage> Edits { get; } = new();

    public Task<bool> EnqueuePostAsync(string key, ChatDestination destination, OutgoingMessage message, string? threadOfKey = null, string? digestAs = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Posts.TryAdd(key, (destination, message, threadOfKey, digestAs)));

    public Task<bool> EnqueueUpdateAsync(string postKey, ChatDestination destination, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        if (!Posts.ContainsKey(postKey))
        {
            return Task.FromResult(false);
        }

        Edits[postKey] = message;
        return Task.FromResult(true);
    }

    public Task<string?> GetMessageIdAsync(string postKey, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    public Task<bool> AdoptAsync(string key, ChatDestination destination, string messageId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Posts.TryAdd(key, (destination, OutgoingMessage.Plain(""), null, null)));

    /// <summary>Top-level posts (not thread replies).</summary>
    public List<string> TopLevel => [.. Posts.Where(p => p.Value.ThreadOf is null).Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>What a post shows now: its newest edit, else its original content.</summary>
    public OutgoingMessage Shown(string key) => Edits.TryGetValue(key, out var edit) ? edit : Posts[key].Message;

    public List<string> Replies(string key) => [.. Posts.Where(p => p.Value.ThreadOf == key).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Message.Text)];
}

/// <summary>A real alert service over SQLite in a temporary folder, on a manual clock.</summary>
public sealed class AlertKit : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("alerts-").FullName;

    public AlertKit(Action<AlertOptions>? configure = null)
    {
        Options = new AlertOptions { Channels = [AlertOptions.DefaultChannel], GroupBy = ["alertname", "environment"] };
        configure?.Invoke(Options);
        Database = new StateDatabase(Microsoft.Extensions.Options.Options.Create(new StorageOptions { ConnectionString = "Data Source=alerts.db" }),
            [new AlertSchema()], new Host(_root));
        Store = new AlertStore(Database);
        var routing = new AlertRouting(Options);
        var publisher = new AlertPublisher(Outbox, Store, routing, Time);
        Service = new AlertService(Store, publisher, routing, Microsoft.Extensions.Options.Options.Create(Options), Time,
            RadiatorTestKitLogger.Create<AlertService>());
        Watch = new AlertWatchStore(Database);
        Health = new AlertSourceHealth(publisher, Watch, Microsoft.Extensions.Options.Options.Create(Options), Time);
    }

    public ManualTimeProvider Time { get; } = new();

    public AlertOptions Options { get; }

    public RecordingOutbox Outbox { get; } = new();

    public StateDatabase Database { get; }

    public AlertStore Store { get; }

    public AlertWatchStore Watch { get; }

    public AlertService Service { get; }

    public AlertSourceHealth Health { get; }

    /// <summary>Top-level posts that are alerts (not notices).</summary>
    public List<string> AlertPosts => [.. Outbox.TopLevel.Where(k => k.StartsWith("alert:", StringComparison.Ordinal))];

    public List<string> Notices(string containing) => [.. Outbox.Posts.Values.Where(p => p.ThreadOf is null && p.Message.Text.Contains(containing, StringComparison.Ordinal)).Select(p => p.Message.Text)];

    public static AlertSignal Signal(string fingerprint = "disk-web1", bool firing = true, string environment = "prod") =>
        new(fingerprint, firing, "Disk full on web1", "critical", new Dictionary<string, string> { ["alertname"] = "DiskFull", ["environment"] = environment }, null, "/var is full", "webhook");

    public async Task<AlertKit> StartAsync()
    {
        await Database.InitializeAsync(TestContext.Current.CancellationToken);
        return this;
    }

    public void Dispose()
    {
        Service.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Only a temp folder left behind.
        }
    }

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
