using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.TestCommon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

public sealed class ChatDeliveryOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new ChatDeliveryOptionsValidator().Validate(null, new ChatDeliveryOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_LeaseNotLongerThanSendTimeoutAndBadLimit_ReportsEveryError()
    {
        var options = new ChatDeliveryOptions { ClaimLease = TimeSpan.FromSeconds(30), SendTimeout = TimeSpan.FromMinutes(1) };
        options.Limits["discord"] = new() { TokenInterval = TimeSpan.FromSeconds(-1), Burst = 0 };

        var result = new ChatDeliveryOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("ClaimLease", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Limits:discord:TokenInterval", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Limits:discord:Burst", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AddChatOutbox_ConfiguredLimit_BindsOverDefaultsAndKeepsOthers()
    {
        using var provider = Services(new() { ["ChatDelivery:Limits:slack:TokenInterval"] = "00:00:02", ["ChatDelivery:DigestThreshold"] = "9" });

        var options = provider.GetRequiredService<IOptions<ChatDeliveryOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(2), options.LimitFor("Slack").TokenInterval);
        Assert.Equal(TimeSpan.Zero, options.LimitFor("webchat").TokenInterval);
        Assert.Equal(9, options.DigestThreshold);
        Assert.NotNull(provider.GetRequiredService<IChatOutbox>());
        Assert.NotNull(provider.GetRequiredService<OutboxMetrics>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is QueueWorker<ChatDestination, OutboxWork>);
    }

    [Fact]
    public void AddChatOutbox_OnlyBurstConfigured_KeepsDefaultInterval()
    {
        using var provider = Services(new() { ["ChatDelivery:Limits:teams:Burst"] = "2" });

        var teams = provider.GetRequiredService<IOptions<ChatDeliveryOptions>>().Value.LimitFor("teams");

        Assert.Equal((TimeSpan.FromSeconds(2), 2), (teams.TokenInterval, teams.Burst));
    }

    [Fact]
    public async Task AddChatOutbox_InvalidOptions_FailsAtStart()
    {
        using var provider = Services(new() { ["ChatDelivery:ClaimLease"] = "00:00:10" });

        var validation = provider.GetRequiredService<IStartupValidator>();

        var failure = Assert.Throws<OptionsValidationException>(validation.Validate);
        Assert.Contains("ClaimLease", failure.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("2.00:00:00")]
    public void AddChatOutbox_MaxPauseOutOfRange_FailsAtStartNamingTheSettingAndItsBounds(string maxPause)
    {
        using var provider = Services(new() { ["ChatDelivery:MaxPause"] = maxPause });

        var failure = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.Contains($"MaxPause ({TimeSpan.Parse(maxPause, System.Globalization.CultureInfo.InvariantCulture)}) must be between 00:00:01 and 1.00:00:00", failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(Path.GetTempPath()));
        services.AddLogging();
        services.AddChatOutbox();
        return services.BuildServiceProvider();
    }
}
