using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Gateway;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Discord.Gateway;

public sealed class DiscordGatewayRegistrationTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("false", DiscordRestPeer.BotToken)]
    public void AddDiscord_GatewayOff_NoClientAndNoHealthCheck(string? gateway, string? token)
    {
        using var services = Services(new() { ["Discord:Gateway"] = gateway, ["Discord:BotToken"] = token });

        Assert.Empty(services.GetServices<IHostedService>().OfType<DiscordGatewayClient>());
        Assert.DoesNotContain(services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations,
            r => r.Name == DiscordGatewayServiceCollectionExtensions.HealthCheckName);
    }

    [Fact]
    public void AddDiscord_GatewayOnWithToken_OneClientAndItsHealthCheck()
    {
        using var services = Services(new()
        {
            ["Discord:Gateway"] = "true",
            ["Discord:BotToken"] = DiscordRestPeer.BotToken,
            ["Discord:ApplicationId"] = DiscordRestPeer.ApplicationId,
        }, twice: true);

        Assert.Single(services.GetServices<IHostedService>().OfType<DiscordGatewayClient>());
        Assert.Single(services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations,
            r => r.Name == DiscordGatewayServiceCollectionExtensions.HealthCheckName);
    }

    [Fact]
    public void AddDiscord_GatewayOnWithoutToken_RefusedAtStartSayingWhichSetting()
    {
        using var services = Services(new() { ["Discord:Gateway"] = "true", ["Discord:ApplicationId"] = DiscordRestPeer.ApplicationId });

        var failure = Assert.Throws<OptionsValidationException>(services.GetRequiredService<IStartupValidator>().Validate);

        Assert.Contains("Discord__BotToken", failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, bool twice = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        // What the Gateway writes into, when it runs: the host's inbox and interaction handling.
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(Path.GetTempPath()));
        services.AddChatInbox<NullRunner>();
        services.AddSingleton<IDiscordInteractionHandler>(provider => new RecordingInteractionHandler(provider.GetRequiredService<IChatInbox>()));
        services.AddDiscord();
        if (twice)
        {
            services.AddDiscord();
        }

        return services.BuildServiceProvider();
    }

    private sealed class NullRunner : IQueueHandler<string, InboxItem>
    {
        public Task HandleAsync(InboxItem work, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
