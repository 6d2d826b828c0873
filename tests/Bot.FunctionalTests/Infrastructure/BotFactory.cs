using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ChatOps.Bot.FunctionalTests.Infrastructure;

/// <summary>
/// The real host in memory, with its state and node directories in a temporary folder. Node
/// processes are real; every one started under this folder is stopped when the factory goes.
/// </summary>
public sealed class BotFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly BotRoot _root = new("chatops-host-");
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Adds to the host's services: parts of the outside world the tests stand in for (a provider).</param>
    public BotFactory(TimeProvider? time = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        Time = time;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={_root.StateDatabase}",
            ["Local:DataDirectory"] = Path.Combine(Root, "envs"),
            ["Workflows:ProgressInterval"] = "00:00:00.200",
            ["HaProxy:StateDirectory"] = Path.Combine(Root, "haproxy"),
            // Heads are posted to chat only where a test asks for it.
            ["Audit:HeadChannel"] = "",
            // The TV-show simulator is the product's default; tests that want it turn it back on.
            ["Radiator:Simulator:Enabled"] = "false",
            ["HaProxy:FrontPortBase"] = BotProcess.FrontPortBase().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        // The audit key and published heads stay beside the database, so a restarted host over the same folder has the same key.
        var database = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_settings["Storage:ConnectionString"]).DataSource;
        _settings.TryAdd("Audit:KeyFile", Path.Combine(Path.GetDirectoryName(database)!, "audit.key"));
        _settings.TryAdd("Audit:HeadFile", Path.Combine(Path.GetDirectoryName(database)!, "audit-heads.log"));
    }

    public string Root => _root.Path;

    public TimeProvider? Time { get; }

    public string NodesRoot => Path.Combine(Root, "envs");

    public ChatApi Chat => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new XunitLoggerProvider()));
        if (Time is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(Time)));
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            // Even when stopping the host failed: its nodes must not outlive the test.
            _root.Dispose();
        }
    }
}
