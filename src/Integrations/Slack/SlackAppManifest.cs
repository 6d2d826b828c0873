using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOps.Integrations.Slack;

/// <summary>A slash command as it appears in the app manifest.</summary>
public sealed record SlackManifestCommand(string Name, string Description, string? UsageHint = null);

/// <summary>
/// Builds the Slack app manifest (JSON, schema version 1) from the command catalog, so the app's
/// commands, scopes, event subscriptions and request URLs always match what this adapter serves:
/// <c>/slack/commands</c>, <c>/slack/interactions</c>, <c>/slack/events</c>, or Socket Mode.
/// </summary>
public static partial class SlackAppManifest
{
    /// <summary>
    /// What the adapter needs: read mentions and DMs, post and edit, upload pictures, look up users, and
    /// read the history of the conversations it posts to (public, private, DM, group DM), where delivery
    /// looks for a post whose completion it never recorded instead of posting it twice.
    /// </summary>
    public static IReadOnlyList<string> BotScopes { get; } =
        ["app_mentions:read", "channels:history", "chat:write", "chat:write.public", "commands", "files:write", "groups:history", "im:history", "mpim:history", "users:read"];

    /// <summary>The events <see cref="SlackInboundParser"/> turns into requests.</summary>
    public static IReadOnlyList<string> BotEvents { get; } = ["app_mention", "message.im"];

    /// <param name="appName">The app and bot name (Slack allows 35 characters).</param>
    /// <param name="description">The short description (Slack allows 139 characters).</param>
    /// <param name="commands">Slash commands, for instance <c>/env</c>, <c>/alert</c>, <c>/pulse</c>.</param>
    /// <param name="publicBaseUrl">The host's public https address; required unless <paramref name="socketMode"/>.</param>
    /// <param name="socketMode">Receive over Socket Mode instead of request URLs.</param>
    public static JsonObject Build(string appName, string description, IEnumerable<SlackManifestCommand> commands, Uri? publicBaseUrl, bool socketMode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appName);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(commands);
        if (appName.Length > 35)
        {
            throw new ArgumentException("Slack app names are at most 35 characters.", nameof(appName));
        }

        if (description.Length > 139)
        {
            throw new ArgumentException("Slack short descriptions are at most 139 characters.", nameof(description));
        }

        if (!socketMode && (publicBaseUrl is null || !publicBaseUrl.IsAbsoluteUri || publicBaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("Without Socket Mode, Slack needs a public https base URL to send requests to.", nameof(publicBaseUrl));
        }

        Uri? Url(string path) => socketMode ? null : new Uri(EnsureSlash(publicBaseUrl!), path);

        var slashCommands = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            var name = command.Name.StartsWith('/') ? command.Name : "/" + command.Name;
            if (!CommandName().IsMatch(name))
            {
                throw new ArgumentException($"'{command.Name}' is not a valid Slack command: lowercase letters, digits, '-' or '_', at most 32 characters with the slash.", nameof(commands));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"The command '{name}' is listed twice.", nameof(commands));
            }

            var entry = new JsonObject { ["command"] = name, ["description"] = command.Description, ["should_escape"] = false };
            if (Url("slack/commands") is { } url)
            {
                entry["url"] = url.ToString();
            }

            if (!string.IsNullOrEmpty(command.UsageHint))
            {
                entry["usage_hint"] = command.UsageHint;
            }

            slashCommands.Add(entry);
        }

        var events = new JsonObject { ["bot_events"] = new JsonArray([.. BotEvents.Select(e => JsonValue.Create(e))]) };
        var interactivity = new JsonObject { ["is_enabled"] = true };
        if (!socketMode)
        {
            events["request_url"] = Url("slack/events")!.ToString();
            interactivity["request_url"] = Url("slack/interactions")!.ToString();
        }

        return new JsonObject
        {
            ["_metadata"] = new JsonObject { ["major_version"] = 1, ["minor_version"] = 1 },
            ["display_information"] = new JsonObject { ["name"] = appName, ["description"] = description },
            ["features"] = new JsonObject
            {
                ["bot_user"] = new JsonObject { ["display_name"] = appName, ["always_online"] = true },
                // Direct messages to the bot are one of the ways to give it a command.
                ["app_home"] = new JsonObject { ["messages_tab_enabled"] = true, ["messages_tab_read_only_enabled"] = false },
                ["slash_commands"] = slashCommands,
            },
            ["oauth_config"] = new JsonObject { ["scopes"] = new JsonObject { ["bot"] = new JsonArray([.. BotScopes.Select(s => JsonValue.Create(s))]) } },
            ["settings"] = new JsonObject
            {
                ["event_subscriptions"] = events,
                ["interactivity"] = interactivity,
                ["org_deploy_enabled"] = false,
                ["socket_mode_enabled"] = socketMode,
                ["token_rotation_enabled"] = false,
            },
        };
    }

    private static Uri EnsureSlash(Uri baseUrl) =>
        baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new Uri(baseUrl.ToString() + "/");

    [GeneratedRegex(@"^/[a-z0-9_-]{1,31}\z")]
    private static partial Regex CommandName();
}
