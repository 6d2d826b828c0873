using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.WebChat;

/// <summary>The built-in web chat: its channels and who may use it.</summary>
public sealed class WebChatOptions
{
    public const string SectionName = "WebChat";

    /// <summary>Channel names without '#'. <value>Default: ops, pulse, alerts, deploys.</value></summary>
    [MinLength(1)]
    public List<string> Channels { get; set; } = [];

    /// <summary>The bot's display name in the chat. <value>Default: bot.</value></summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9._-]{1,32}\z")]
    public string BotName { get; set; } = "bot";

    /// <summary>
    /// Token every <c>/api/*</c> request and <c>/metrics</c> must present (header <c>Authorization: Bearer …</c>;
    /// <c>?token=</c> for reads, which the page's event stream needs) unless it comes from loopback with no
    /// forwarding header. Required when the host listens beyond loopback.
    /// <value>Default: none, so only loopback is served.</value>
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// A second token that only reads: GET and HEAD on <c>/api/*</c> and <c>/metrics</c> (a Prometheus scraper,
    /// a dashboard). <value>Default: none.</value>
    /// </summary>
    public string? ReadToken { get; set; }

    /// <summary>
    /// Host names (<c>name</c> or <c>name:port</c>) this bot answers to besides the addresses it listens on, such
    /// as the public name a reverse proxy forwards with. Any other <c>Host</c> header is refused, so a DNS name
    /// pointed at this machine by someone else (DNS rebinding) cannot reach the API. <value>Default: none.</value>
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>How many top-level messages a channel listing returns. <value>Default: 200.</value></summary>
    [Range(1, 10_000)]
    public int HistoryLimit { get; set; } = 200;

    /// <summary>How long the event stream may be quiet before it sends a heartbeat. <value>Default: 15 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StreamKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often the live stream looks for posts and edits made by other replicas on the same database; this replica's
    /// own reach it at once. <value>Default: 500 milliseconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    internal static readonly string[] DefaultChannels = ["ops", "pulse", "alerts", "deploys"];

    public IReadOnlyList<string> EffectiveChannels => Channels.Count > 0 ? Channels : DefaultChannels;
}

[OptionsValidator]
internal sealed partial class WebChatOptionsValidator : IValidateOptions<WebChatOptions>;
