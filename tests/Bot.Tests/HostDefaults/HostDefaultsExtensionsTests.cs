using System.Diagnostics.Metrics;
using ChatOps.Bot.HostDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.Tests.HostDefaults;

public sealed class HostDefaultsExtensionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddHostDefaults_Registered_TheSystemClock()
    {
        using var services = new ServiceCollection().AddLogging().AddHostDefaults().BuildServiceProvider();

        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task MapHostDefaults_OverKestrel_ServesHealthAndOurMetersAsPrometheusText()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHostDefaults();
        await using var app = builder.Build();
        app.MapHostDefaults();
        await app.StartAsync(Ct);
        var meter = app.Services.GetRequiredService<IMeterFactory>().Create("ChatOps.Test");
        meter.CreateCounter<long>("chatops_test_posts", description: "Posts sent.").Add(2, new KeyValuePair<string, object?>("platform", "slack"));
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };

        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);
        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);

        Assert.True(health.IsSuccessStatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
        Assert.Equal(
            "# HELP chatops_test_posts_total Posts sent.\n# TYPE chatops_test_posts_total counter\nchatops_test_posts_total{platform=\"slack\"} 2\n",
            await metrics.Content.ReadAsStringAsync(Ct));
        await app.StopAsync(Ct);
    }
}
