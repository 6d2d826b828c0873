using System.Globalization;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Discord;

/// <summary>
/// The Discord application's identity, from the developer portal's General Information page. Set them as
/// environment variables (<c>Discord__PublicKey</c>) or user-secrets, never in <c>appsettings/</c>.
/// </summary>
public sealed class DiscordOptions
{
    public const string SectionName = "Discord";

    /// <summary>Discord signs with Ed25519, whose public keys are 32 bytes, shown in the portal as hex.</summary>
    public const int PublicKeyHexLength = 64;

    /// <summary>
    /// How far a request's timestamp may be from now before it is refused as a replay: the same five
    /// minutes Slack recommends, as Discord names no limit of its own.
    /// </summary>
    public static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The application's public key (64 hex characters); every interaction request is verified with it.
    /// <value>Default: none; Discord is off and <c>/discord/interactions</c> is not mapped.</value>
    /// </summary>
    public string? PublicKey { get; set; }

    /// <summary>The application's id (a snowflake, digits only). <value>Default: none; required with <see cref="PublicKey"/>.</value></summary>
    public string? ApplicationId { get; set; }

    /// <summary>
    /// The bot's token (Bot tab of the developer portal), sent as <c>Authorization: Bot …</c> on every REST call and
    /// in the Gateway's Identify. <value>Default: none; needed to post, edit, register commands and use the Gateway.</value>
    /// </summary>
    public string? BotToken { get; set; }

    /// <summary>Whether to hold a Gateway connection (no public URL needed). <value>Default: false.</value></summary>
    public bool Gateway { get; set; }

    /// <summary>Discord's REST API. <value>Default: <c>https://discord.com/api/v10/</c>.</value></summary>
    public Uri ApiBaseUrl { get; set; } = new("https://discord.com/api/v10/");

    /// <summary>
    /// How long after an interaction arrived its token is still used to fill in and edit its original response;
    /// after that, edits go through the bot token. Discord's tokens last 15 minutes; the margin covers a call that
    /// starts just before the end. <value>Default: 14 minutes.</value>
    /// </summary>
    public TimeSpan InteractionTokenLifetime { get; set; } = TimeSpan.FromMinutes(14);

    /// <summary>Whether the interactions endpoint is on: a public key is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(PublicKey);
}

/// <summary>
/// Refuses to start with a key that could never verify anything, half an application, a Gateway without the token it
/// identifies with, or an API address requests could not be built on; every problem is listed at once.
/// </summary>
internal sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Enabled)
        {
            ValidateEndpoint(options, failures);
        }
        else if (!string.IsNullOrWhiteSpace(options.ApplicationId) && !options.Gateway && string.IsNullOrWhiteSpace(options.BotToken))
        {
            // With a bot token alone the bot still posts and registers commands; with neither, the id serves nothing.
            failures.Add("Discord:ApplicationId is set but Discord:PublicKey is not: no interaction could be verified. Set Discord__PublicKey from the developer portal's General Information page, or Discord__BotToken with Discord__Gateway=true to receive interactions over the Gateway.");
        }

        if (options.InteractionTokenLifetime < TimeSpan.Zero || options.InteractionTokenLifetime > TimeSpan.FromMinutes(15))
        {
            failures.Add($"Discord:InteractionTokenLifetime ({options.InteractionTokenLifetime}) must be between 00:00:00 and 00:15:00: Discord's interaction tokens last 15 minutes.");
        }

        if (options.Gateway && string.IsNullOrWhiteSpace(options.BotToken))
        {
            failures.Add("Discord:Gateway is true but Discord:BotToken is not set: the Gateway identifies with the bot's token. Set Discord__BotToken from the developer portal's Bot page.");
        }

        if (options.Gateway && string.IsNullOrWhiteSpace(options.ApplicationId))
        {
            failures.Add("Discord:Gateway is true but Discord:ApplicationId is not set: interactions are answered through the application's webhooks. Set Discord__ApplicationId from the developer portal's General Information page.");
        }
        else if (!options.Enabled && !string.IsNullOrWhiteSpace(options.ApplicationId) && !IsSnowflake(options.ApplicationId.Trim()))
        {
            failures.Add(ApplicationIdNotSnowflake(options.ApplicationId));
        }

        if (options.BotToken is { } token && token.Trim().Length > 0 && token.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add("Discord:BotToken contains spaces or control characters: paste the token alone, without the word Bot (it is added to each request).");
        }

        var api = options.ApiBaseUrl;
        if (api is null || !api.IsAbsoluteUri || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp) || !api.AbsolutePath.EndsWith('/')
            || !string.IsNullOrEmpty(api.Query) || !string.IsNullOrEmpty(api.Fragment))
        {
            failures.Add($"Discord:ApiBaseUrl must be an absolute http(s) address ending with '/', such as https://discord.com/api/v10/; got '{api?.OriginalString}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateEndpoint(DiscordOptions options, List<string> failures)
    {
        var key = options.PublicKey!.Trim();
        if (key.Length != DiscordOptions.PublicKeyHexLength || !key.All(char.IsAsciiHexDigit))
        {
            failures.Add($"Discord:PublicKey must be the application's public key as {DiscordOptions.PublicKeyHexLength} hex characters (developer portal, General Information); "
                + $"the configured value is {key.Length} characters{(key.All(char.IsAsciiHexDigit) ? "" : " and not all hex")}.");
        }

        if (string.IsNullOrWhiteSpace(options.ApplicationId))
        {
            if (!options.Gateway)
            {
                failures.Add("Discord:PublicKey is set but Discord:ApplicationId is not: set Discord__ApplicationId from the developer portal's General Information page.");
            }
        }
        else if (!IsSnowflake(options.ApplicationId.Trim()))
        {
            failures.Add(ApplicationIdNotSnowflake(options.ApplicationId));
        }
    }

    private static string ApplicationIdNotSnowflake(string value) =>
        $"Discord:ApplicationId must be the application's id, digits only (a Discord snowflake); got '{value}'.";

    internal static bool IsSnowflake(string value) =>
        value.Length is > 0 and <= 20 && value.All(char.IsAsciiDigit) && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
