using ChatOps.Integrations.Slack;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Tests.Slack;

/// <summary>Builds the Slack services the way the host does, through <c>AddSlack</c>, with test edges.</summary>
internal static class SlackTestServices
{
    public static ServiceProvider Create(
        Uri apiBaseUrl,
        IDictionary<string, string?>? settings = null,
        TimeProvider? timeProvider = null,
        HttpMessageHandler? primaryHandler = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = SlackPeer.BotToken,
            ["Slack:AppToken"] = SlackPeer.AppToken,
            ["Slack:SigningSecret"] = "test-signing-secret",
            ["Slack:ApiBaseUrl"] = apiBaseUrl.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.AddProvider(new XunitLoggerProvider()).SetMinimumLevel(LogLevel.Debug));
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddSlack(configuration);
        if (primaryHandler is not null)
        {
            // Configured after AddSlack, so it replaces the client's real SocketsHttpHandler.
            services.AddHttpClient<ISlackWebApi, SlackWebApi>().ConfigurePrimaryHttpMessageHandler(() => primaryHandler);
        }

        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
