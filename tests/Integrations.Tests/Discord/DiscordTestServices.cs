using ChatOps.Integrations.Discord;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>Builds the Discord services the way the host does, through <c>AddDiscord</c>, pointed at a <see cref="DiscordRestPeer"/>.</summary>
internal static class DiscordTestServices
{
    public static ServiceProvider Create(DiscordRestPeer peer, TimeProvider? timeProvider = null, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Discord:BotToken"] = DiscordRestPeer.BotToken,
            ["Discord:ApplicationId"] = DiscordRestPeer.ApplicationId,
            ["Discord:ApiBaseUrl"] = peer.ApiBaseUrl.ToString(),
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

        services.AddDiscord();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
