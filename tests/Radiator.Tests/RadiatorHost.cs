using ChatOps.Integrations.Chat;
using ChatOps.TestCommon;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Radiator.Tests;

/// <summary>A real Kestrel host on a loopback port with <c>AddRadiator()</c> and <c>MapRadiator()</c>, as the Bot wires them.</summary>
public sealed class RadiatorHost : IAsyncDisposable
{
    private readonly string _root;

    private RadiatorHost(WebApplication app, string root, FakeChatSender chat, FakeTimeProvider time)
    {
        App = app;
        _root = root;
        Chat = chat;
        Time = time;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public FakeChatSender Chat { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => App.Services;

    public static WebApplication Build(Dictionary<string, string?> settings, FakeChatSender chat, FakeTimeProvider time, string root)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = root });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var effective = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "Data Source=radiator.db",
            ["Radiator:Simulator:Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            effective[key] = value;
        }

        // A null value means "leave unset", to test a default.
        builder.Configuration.AddInMemoryCollection(effective.Where(e => e.Value is not null));
        builder.Logging.ClearProviders().AddProvider(new XunitLoggerProvider());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IChatSender>(chat);
        builder.Services.AddSingleton<ChatSenders>();
        builder.Services.AddRadiator();
        var app = builder.Build();
        app.MapRadiator();
        return app;
    }

    public static async Task<RadiatorHost> StartAsync(Dictionary<string, string?>? settings = null, FakeTimeProvider? time = null)
    {
        var root = Directory.CreateTempSubdirectory("radiator-host-").FullName;
        var chat = new FakeChatSender();
        time ??= new FakeTimeProvider();
        var app = Build(settings ?? [], chat, time, root);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new RadiatorHost(app, root, chat, time);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in temp; harmless.
        }
    }
}
