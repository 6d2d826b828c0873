using ChatOps.Bot.Commands;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Tests.Identity;
using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Alerts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Commands.Alerts;

/// <summary>The real alert service, store and audit trail over SQLite (<see cref="TestState"/>); resolving and muting need <c>ops</c>.</summary>
internal sealed class AlertCommandKit : IAsyncDisposable
{
    public static readonly Principal Alice = new("webchat:alice", "alice", new HashSet<string> { "member", "ops" });
    public static readonly Principal Bob = new("webchat:bob", "bob", new HashSet<string> { "member" });
    public static readonly ChatDestination AlertsChannel = new("webchat", "alerts");

    private readonly CommandParser _parser = new(TestCatalog.Instance, ["dev", "test", "prod"]);

    private AlertCommandKit(TestState state)
    {
        State = state;
        Options = Microsoft.Extensions.Options.Options.Create(new AlertOptions { Channels = [AlertOptions.DefaultChannel], ResolveRole = "ops", MuteRole = "ops" });
        Routing = new AlertRouting(Options.Value, new ContactDirectory());
        Store = new AlertStore(state.Database, new AlertDueTimes(Options, Routing));
        Service = new AlertService(Store, new AlertPublisher(state.Outbox, Store, Routing, state.Time), Routing, Options, state.Time, NullLogger<AlertService>.Instance);
    }

    public TestState State { get; }

    public IOptions<AlertOptions> Options { get; }

    public AlertStore Store { get; }

    public AlertRouting Routing { get; }

    public AlertService Service { get; }

    public static async Task<AlertCommandKit> CreateAsync() => new(await TestState.CreateAsync());

    /// <summary>A firing alert, as a webhook would report it.</summary>
    public async Task<Alert> FiringAsync(string fingerprint = "disk-web1") =>
        (await Service.ReceiveAsync(new AlertSignal(fingerprint, true, "Disk full on web1", "critical",
            new Dictionary<string, string> { ["alertname"] = "DiskFull", ["environment"] = "prod" }, null, "/var is full", "webhook"), TestContext.Current.CancellationToken)).Alert;

    public CommandContext Context(string text, Principal who) =>
        new(who, AlertsChannel, Assert.IsType<Parsed>(_parser.Parse(text)).Invocation, null, Permission.Allow(RiskTier.None));

    public static ButtonPress Press(string actionId, long id, Principal who) =>
        new(new ChatAction(AlertsChannel, new ChatUser("webchat", who.DisplayName), "m1", actionId, "d1"), who, id);

    /// <summary>The audit trail's actions and details, oldest first.</summary>
    public async Task<IReadOnlyList<string>> AuditAsync() =>
        [.. (await State.Audit.ListAsync(null, 0, 100, TestContext.Current.CancellationToken)).Select(r => $"{r.Action}: {r.Detail}")];

    public async ValueTask DisposeAsync()
    {
        Service.Dispose();
        await State.DisposeAsync();
    }
}
