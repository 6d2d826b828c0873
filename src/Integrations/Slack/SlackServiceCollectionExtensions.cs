using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Slack;

public static class SlackServiceCollectionExtensions
{
    public const string HealthCheckName = "slack-socket-mode";

    /// <summary>
    /// Registers Slack: options (always, so endpoints can answer 401 when unconfigured), the request
    /// verifier and <see cref="SlackHttpInbound"/>; with <c>Slack:BotToken</c> also the Web API client
    /// and the <see cref="IChatSender"/>; with <c>Slack:SocketMode</c> and <c>Slack:AppToken</c> also
    /// the Socket Mode client and its health check. Socket Mode writes into the <see cref="Chat.Inbox.IChatInbox"/>,
    /// which the host registers.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsConsistencyValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SlackRequestVerifier>();
        services.TryAddSingleton<SlackHttpInbound>();

        var configured = configuration.GetSection(SlackOptions.SectionName).Get<SlackOptions>() ?? new SlackOptions();
        if (!configured.Enabled)
        {
            return services;
        }

        services.TryAddSingleton<SlackRateLimiter>();
        services.TryAddTransient<SlackAuthenticationHandler>();
        services.TryAddTransient<SlackRateLimitHandler>();
        // The sender and the Socket Mode client are singletons that keep their client, so the handler
        // chain lives as long as they do and pooled connections are recycled instead, to follow DNS.
        var client = services.AddHttpClient<ISlackWebApi, SlackWebApi>((provider, http) =>
                http.BaseAddress = provider.GetRequiredService<IOptions<SlackOptions>>().Value.ApiBaseUrl)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<SlackAuthenticationHandler>();
        client.AddResilienceHandler(SlackRetryPipeline.Name, SlackRetryPipeline.Configure);
        // Added after the retries, so it runs inside them: each attempt waits its method's turn.
        client.AddHttpMessageHandler<SlackRateLimitHandler>();
        services.TryAddSingleton<SlackChatSender>();
        services.TryAddSingleton<SlackUserDirectory>();
        services.TryAddSingleton<SlackDisplayNames>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatSender, SlackChatSender>(provider => provider.GetRequiredService<SlackChatSender>()));

        if (configured.SocketModeEnabled)
        {
            services.TryAddSingleton<SlackSocketModeState>();
            services.AddHostedService<SlackSocketModeClient>();
            services.AddHealthChecks().AddCheck<SlackSocketModeHealthCheck>(HealthCheckName);
        }

        return services;
    }
}
