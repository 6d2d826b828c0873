using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// The Slack app's credentials and limits. Secrets come from user-secrets or environment variables
/// (<c>Slack__BotToken</c>), never from <c>appsettings/</c>.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>
    /// The app's signing secret; every inbound HTTP request is verified with it.
    /// <value>Default: none; inbound HTTP requests are then all refused.</value>
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>The bot token (<c>xoxb-…</c>) for the Web API. <value>Default: none; Slack is off.</value></summary>
    public string? BotToken { get; set; }

    /// <summary>
    /// The app-level token (<c>xapp-…</c>, scope <c>connections:write</c>) that opens Socket Mode
    /// connections. <value>Default: none.</value>
    /// </summary>
    public string? AppToken { get; set; }

    /// <summary>
    /// Base address of the Web API; tests point it at a local peer.
    /// <value>Default: <c>https://slack.com/api/</c>.</value>
    /// </summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>
    /// How far a request's timestamp may be from now before it is refused as a replay.
    /// <value>Default: 5 minutes, as Slack recommends.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Receive events over a Socket Mode WebSocket instead of public HTTP endpoints.
    /// <value>Default: <c>false</c>.</value>
    /// </summary>
    public bool SocketMode { get; set; }

    /// <summary>
    /// How many times a request answered 429 is sent again after its Retry-After; not the delivery outbox's requests, which
    /// it paces itself.
    /// <value>Default: 5.</value>
    /// </summary>
    [Range(0, 20)]
    public int MaxRateLimitRetries { get; set; } = 5;

    /// <summary>
    /// How many times a request that is safe to repeat (edits, reads) is sent again after a 5xx or a
    /// broken connection, waiting 1 s, 2 s, 4 s… <value>Default: 3.</value>
    /// </summary>
    [Range(0, 10)]
    public int MaxTransientRetries { get; set; } = 3;

    /// <summary>First wait before a Socket Mode reconnect; doubles per failure. <value>Default: 1 second.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SocketReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between Socket Mode reconnects. <value>Default: 1 minute.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SocketMaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Socket Mode acknowledges an envelope once the host has kept its delivery, or after this long at
    /// the latest: Slack redelivers what is not acknowledged within 3 seconds. <value>Default: 2 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:02.500")]
    public TimeSpan SocketAckDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether the Web API is usable: a bot token is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    /// <summary>Whether Socket Mode should run: asked for, and an app-level token is configured.</summary>
    public bool SocketModeEnabled => SocketMode && !string.IsNullOrWhiteSpace(AppToken);
}

[OptionsValidator]
internal sealed partial class SlackOptionsValidator : IValidateOptions<SlackOptions>;

/// <summary>Rules that span properties, which DataAnnotations cannot express.</summary>
internal sealed class SlackOptionsConsistencyValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var failures = new List<string>();
        if (!options.ApiBaseUrl.IsAbsoluteUri || !options.ApiBaseUrl.AbsolutePath.EndsWith('/'))
        {
            failures.Add($"Slack:ApiBaseUrl must be an absolute URL ending in '/', got '{options.ApiBaseUrl}'.");
        }

        if (options.SocketMode && string.IsNullOrWhiteSpace(options.AppToken))
        {
            failures.Add("Slack:SocketMode is on but Slack:AppToken (xapp-…) is not set.");
        }

        if (options.SocketMode && !options.Enabled)
        {
            failures.Add("Slack:SocketMode is on but Slack:BotToken (xoxb-…) is not set.");
        }

        if (options.SocketMaxReconnectDelay < options.SocketReconnectDelay)
        {
            failures.Add("Slack:SocketMaxReconnectDelay must not be shorter than Slack:SocketReconnectDelay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
