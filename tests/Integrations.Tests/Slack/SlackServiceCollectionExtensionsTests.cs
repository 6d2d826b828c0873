using System.Reflection;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Slack;

public sealed class SlackServiceCollectionExtensionsTests
{
    private static readonly Uri Base = new("https://slack.test/api/");

    [Fact]
    public void AddSlack_NoBotToken_OnlyInboundVerification()
    {
        using var services = SlackTestServices.Create(Base, new Dictionary<string, string?> { ["Slack:BotToken"] = null });

        Assert.NotNull(services.GetRequiredService<SlackHttpInbound>());
        Assert.False(services.GetRequiredService<IOptions<SlackOptions>>().Value.Enabled);
        Assert.Empty(services.GetServices<IChatSender>());
        Assert.Null(services.GetService<ISlackWebApi>());
        Assert.Empty(services.GetServices<IHostedService>());
    }

    [Fact]
    public void AddSlack_BotToken_RegistersOneSlackSender()
    {
        using var services = SlackTestServices.Create(Base);

        var sender = Assert.Single(services.GetServices<IChatSender>());
        Assert.Equal("slack", sender.Platform);
        Assert.Same(sender, services.GetRequiredService<SlackChatSender>());
        Assert.Empty(services.GetServices<IHostedService>());
    }

    [Fact]
    public void AddSlack_SocketModeWithAppToken_RegistersClient()
    {
        using var services = SlackTestServices.Create(Base, new Dictionary<string, string?> { ["Slack:SocketMode"] = "true" }, configure: s => s.AddSingleton<IChatInbox, NullInbox>());

        Assert.Single(services.GetServices<IHostedService>().OfType<SlackSocketModeClient>());
    }

    [Fact]
    public void AddSlack_SocketModeWithoutAppToken_FailsValidation()
    {
        using var services = SlackTestServices.Create(Base, new Dictionary<string, string?> { ["Slack:SocketMode"] = "true", ["Slack:AppToken"] = "" });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SlackOptions>>().Value);
        Assert.Contains(e.Failures, f => f.Contains("Slack:AppToken", StringComparison.Ordinal));
        Assert.Empty(services.GetServices<IHostedService>());
    }

    [Theory]
    [InlineData("Slack:ApiBaseUrl", "https://slack.com/api", "ending in '/'")]
    [InlineData("Slack:SignatureTolerance", "02:00:00", "SignatureTolerance")]
    [InlineData("Slack:MaxRateLimitRetries", "99", "MaxRateLimitRetries")]
    [InlineData("Slack:SocketMaxReconnectDelay", "00:00:00.001", "SocketMaxReconnectDelay")]
    public void AddSlack_BadSetting_FailsValidationNamingIt(string key, string value, string expected)
    {
        using var services = SlackTestServices.Create(Base, new Dictionary<string, string?> { [key] = value });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SlackOptions>>().Value);
        Assert.Contains(e.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void SlackOptions_Defaults_AreSlacksPublicApiAndFiveMinutes()
    {
        var options = new SlackOptions();

        Assert.Equal(new Uri("https://slack.com/api/"), options.ApiBaseUrl);
        Assert.Equal(TimeSpan.FromMinutes(5), options.SignatureTolerance);
        Assert.Equal(5, options.MaxRateLimitRetries);
        Assert.Equal(3, options.MaxTransientRetries);
        Assert.False(options.Enabled);
        Assert.False(options.SocketModeEnabled);
    }

    /// <summary>Every public async method of the Slack folder takes a CancellationToken, last.</summary>
    [Fact]
    public void PublicAsyncMethods_TakeCancellationTokenLast()
    {
        var asyncMethods = typeof(SlackOptions).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(SlackOptions).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType == typeof(ValueTask) || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
            .ToList();

        var offenders = asyncMethods
            .Where(m => m.GetParameters() is not [.., { ParameterType: var last }] || last != typeof(CancellationToken))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");

        Assert.True(asyncMethods.Count >= 10, "the scan found too few methods to mean anything");
        Assert.Empty(offenders);
    }

    private sealed class NullInbox : IChatInbox
    {
        public Task<InboxAdmission> ReceiveAsync(ChatRequest request, CancellationToken cancellationToken) => Task.FromResult(InboxAdmission.Accepted);

        public Task<InboxAdmission> ReceiveAsync(ChatAction action, CancellationToken cancellationToken) => Task.FromResult(InboxAdmission.Accepted);

        public Task TellBusyAsync(ChatRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task TellBusyAsync(ChatAction action, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
