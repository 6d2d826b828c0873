using System.Net.Http.Headers;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Discord.Rest;

internal static class DiscordRestServiceCollectionExtensions
{
    /// <summary>
    /// Discord asks every client to say who it is as <c>DiscordBot ($url, $versionNumber)</c> (reference, "User Agent").
    /// The address names the product; Discord does not follow it.
    /// </summary>
    public const string ProductUrl = "https://github.com/chatops/bot";

    /// <summary>
    /// Registers <see cref="IDiscordRest"/> as a typed HttpClient at <c>Discord:ApiBaseUrl</c> with
    /// <c>Authorization: Bot …</c> and Discord's user agent on every request, the rate limiter shared by all its
    /// instances, the retry pipeline and, inside it, the rate-limit handler so every attempt waits its turn.
    /// Registered whether or not a token is set: <c>discord-register</c> reports a missing token itself.
    /// </summary>
    public static IServiceCollection AddDiscordRest(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiscordRateLimiter>();
        services.TryAddTransient<DiscordRateLimitHandler>();
        // Singletons (the sender, the Gateway) keep their client, so the handler chain lives as long as they do and
        // pooled connections are recycled instead, to follow DNS.
        var client = services.AddHttpClient<IDiscordRest, DiscordRestClient>((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<DiscordOptions>>().Value;
                http.BaseAddress = options.ApiBaseUrl;
                http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
                if (!string.IsNullOrWhiteSpace(options.BotToken))
                {
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", options.BotToken.Trim());
                }
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler(DiscordRetryPipeline.Name, DiscordRetryPipeline.Configure);
        // Added after the retries, so it runs inside them: each attempt waits for its bucket.
        client.AddHttpMessageHandler<DiscordRateLimitHandler>();
        services.TryAddTransient(provider => new DiscordCommandRegistrar(provider.GetRequiredService<IDiscordRest>(), provider.GetRequiredService<IOptions<DiscordOptions>>()));
        return services;
    }

    public static string UserAgent { get; } = $"DiscordBot ({ProductUrl}, {Version()})";

    private static string Version()
    {
        var assembly = typeof(DiscordRestClient).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // "1.2.3+commit" names the build; the part before '+' is the version.
        return informational?.Split('+')[0] is { Length: > 0 } version ? version : assembly.GetName().Version?.ToString() ?? "1.0";
    }
}
