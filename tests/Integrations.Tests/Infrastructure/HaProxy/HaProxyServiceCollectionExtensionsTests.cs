using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Infrastructure.HaProxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Infrastructure.HaProxy;

public sealed class HaProxyServiceCollectionExtensionsTests
{
    [Fact]
    public void AddHaProxy_BindsSectionAndResolvesStateDirectoryAgainstContentRoot()
    {
        using var services = Build(new()
        {
            ["HaProxy:StateDirectory"] = "data/hx",
            ["HaProxy:Environments:prod:Runtime"] = "unix:///run/haproxy/admin.sock",
            ["HaProxy:Environments:prod:Backend"] = "app",
        });

        var options = services.GetRequiredService<IOptions<HaProxyOptions>>().Value;

        Assert.IsType<HaProxyLoadBalancer>(services.GetRequiredService<ILoadBalancer>());
        Assert.Equal(Path.Combine("/srv/bot", "data", "hx"), options.StateDirectory);
        Assert.Equal(new Uri("unix:///run/haproxy/admin.sock"), options.For("PROD").Runtime);
        Assert.Equal("app", options.For("prod").Backend);
        Assert.Equal(HaProxyConfigWriter.BackendName, options.For("dev").Backend);
    }

    [Fact]
    public void AddHaProxy_InvalidSettings_FailValidation()
    {
        using var services = Build(new() { ["HaProxy:FrontPortBase"] = "70000", ["HaProxy:CommandTimeout"] = "00:00:00" });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<HaProxyOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("FrontPortBase", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("CommandTimeout", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment("/srv/bot"));
        services.AddLogging();
        services.AddHaProxy();
        return services.BuildServiceProvider();
    }
}
