namespace ChatOps.Integrations.Teams;

/// <summary>
/// The bot's Azure registration. Set the password as an environment variable (<c>Teams__AppPassword</c>) or a
/// user-secret, never in <c>appsettings/</c>.
/// </summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>The bot's Microsoft App ID (a GUID). <value>Default: none; Teams is off and <c>/api/messages</c> is not mapped.</value></summary>
    public string? AppId { get; set; }

    /// <summary>The client secret of the app registration. <value>Default: none; required with <see cref="AppId"/>.</value></summary>
    public string? AppPassword { get; set; }

    /// <summary>The tenant of a single-tenant registration (a GUID). <value>Default: none; required with <see cref="AppId"/>.</value></summary>
    public string? TenantId { get; set; }

    /// <summary>Where the Bot Framework publishes its token signing keys. <value>Default: the public Bot Framework metadata.</value></summary>
    public Uri OpenIdMetadataUrl { get; set; } = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    /// <summary>
    /// Where the bot gets its own token (client credentials). <value>Default: none, meaning the tenant's
    /// <c>https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token</c>.</value>
    /// </summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>
    /// Microsoft Graph, asked for a conversation's recent messages when a post's answer was lost, so the card is not
    /// posted twice (needs the app's resource-specific consent; see docs/teams.md). The token for it comes from
    /// <see cref="TokenEndpoint"/> too. <value>Default: <c>https://graph.microsoft.com/v1.0</c>.</value>
    /// </summary>
    public Uri GraphBaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>Whether Teams is on: an app id is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(AppId);
}
