using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Bot.Commands;

namespace ChatOps.Bot.Inbound.Teams;

/// <summary>
/// Builds the Teams app package: <c>manifest.json</c> (schema 1.29) for the bot with the given app id, in teams,
/// group chats and personal chats, its command menu taken from the <see cref="CommandCatalog"/>, and the two icons,
/// zipped flat as Teams expects.
/// </summary>
internal static class TeamsAppPackage
{
    public const string ManifestVersion = "1.29";
    public const string SchemaUrl = "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json";
    public const string ColorIconFile = "color.png";
    public const string OutlineIconFile = "outline.png";
    public const string AppName = "ChatOps";

    /// <summary>Teams shows at most this many commands for a scope (the schema's <c>maxItems</c> of a command list).</summary>
    public const int MaxCommands = 12;

    public const int MaxCommandTitle = 128;
    public const int MaxCommandDescription = 4000;

    /// <summary>
    /// The application permissions asked of the team or chat the app is installed in: read a channel's messages
    /// (<c>ChannelMessage.Read.Group</c>) and a chat's (<c>ChatMessage.Read.Chat</c>), for the Graph lookup.
    /// </summary>
    public static readonly IReadOnlyList<string> ResourceSpecificPermissions = ["ChannelMessage.Read.Group", "ChatMessage.Read.Chat"];

    /// <summary>webApplicationInfo's resource: unused by resource-specific consent, yet required to be present.</summary>
    public const string RscResource = "https://RscPermission";

    /// <summary>Where the developer links point without <c>--url</c>: a placeholder Teams accepts and people recognise as one.</summary>
    public static readonly Uri PlaceholderUrl = new("https://example.com/chatops");

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The manifest of the bot <paramref name="appId"/> served at <paramref name="url"/> (when known).</summary>
    public static JsonObject Manifest(CommandCatalog catalog, Guid appId, Uri? url)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var commands = Commands(catalog);
        var site = (url ?? PlaceholderUrl).AbsoluteUri;
        var manifest = new JsonObject
        {
            ["$schema"] = SchemaUrl,
            ["manifestVersion"] = ManifestVersion,
            ["version"] = "1.0.0",
            ["id"] = appId.ToString("D"),
            ["developer"] = new JsonObject
            {
                ["name"] = AppName,
                ["websiteUrl"] = site,
                ["privacyUrl"] = site,
                ["termsOfUseUrl"] = site,
            },
            ["name"] = new JsonObject { ["short"] = AppName, ["full"] = "ChatOps: environments, pulse and alerts" },
            ["description"] = new JsonObject
            {
                ["short"] = "Drive environments, watch the pulse and answer alerts from Teams.",
                ["full"] = "Drives environments, shows the pulse of the show and posts alerts, from chat. Mention the bot in a channel (@ChatOps help) or write to it in a personal chat.",
            },
            ["icons"] = new JsonObject { ["color"] = ColorIconFile, ["outline"] = OutlineIconFile },
            ["accentColor"] = TeamsIcons.AccentColor,
            ["bots"] = new JsonArray
            {
                new JsonObject
                {
                    ["botId"] = appId.ToString("D"),
                    ["scopes"] = new JsonArray("team", "groupChat", "personal"),
                    ["supportsFiles"] = false,
                    ["isNotificationOnly"] = false,
                    ["commandLists"] = new JsonArray
                    {
                        new JsonObject { ["scopes"] = new JsonArray("team", "groupChat", "personal"), ["commands"] = commands },
                    },
                },
            },
            ["validDomains"] = url is null ? new JsonArray() : new JsonArray(url.Host),
            // Resource-specific consent: installing the app in a team or chat lets it read that place's messages through
            // Microsoft Graph, and nothing else, so a post whose answer was lost is found instead of posted twice.
            // RSC needs webApplicationInfo with the app id; its resource "has no operation in RSC" but must be set.
            ["webApplicationInfo"] = new JsonObject { ["id"] = appId.ToString("D"), ["resource"] = RscResource },
            ["authorization"] = new JsonObject
            {
                ["permissions"] = new JsonObject
                {
                    ["resourceSpecific"] = new JsonArray([.. ResourceSpecificPermissions.Select(p => (JsonNode)new JsonObject { ["name"] = p, ["type"] = "Application" })]),
                },
            },
        };
        return manifest;
    }

    /// <summary>Writes the zip to <paramref name="output"/>.</summary>
    public static void Write(Stream output, JsonObject manifest)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(manifest);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Add(zip, "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString(Indented)));
        Add(zip, ColorIconFile, TeamsIcons.Color());
        Add(zip, OutlineIconFile, TeamsIcons.Outline());
    }

    /// <summary>
    /// <c>help</c> first (it reaches everything), then every verb in the catalog's order, as people type them after
    /// the mention (<c>env list</c>). When they are more than Teams' twelve, one entry per command group instead, its
    /// description listing the group's verbs (as Slack's slash commands do), so no command is missing from the menu.
    /// </summary>
    private static JsonArray Commands(CommandCatalog catalog)
    {
        var verbs = new[] { CommandCatalog.Help }.Concat(catalog.Verbs).DistinctBy(v => v.Key, StringComparer.Ordinal).ToList();
        var entries = verbs.Count <= MaxCommands
            ? verbs.Select(v => (Title: v.Key, Description: $"{v.Summary} Usage: {(v.Group.IsVerb ? v.Usage : $"{v.Group.Name} {v.Usage}")}"))
            : new[] { (Title: CommandCatalog.Help.Key, Description: CommandCatalog.Help.Summary) }.Concat(catalog.Groups
                .Where(g => g != CommandCatalog.HelpGroup)
                .Take(MaxCommands - 1)
                .Select(g => (Title: g.Name, Description: $"{g.Summary} Usage: {g.Name} {string.Join(" | ", catalog.VerbsOf(g).Select(v => v.Usage))}")));
        var commands = new JsonArray();
        foreach (var (title, description) in entries)
        {
            commands.Add(new JsonObject
            {
                ["title"] = title.Length <= MaxCommandTitle ? title : title[..MaxCommandTitle],
                ["description"] = description.Length <= MaxCommandDescription ? description : description[..(MaxCommandDescription - 1)] + "…",
            });
        }

        return commands;
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(content);
    }
}
