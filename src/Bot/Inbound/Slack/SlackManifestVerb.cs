using System.Text.Encodings.Web;
using System.Text.Json;
using ChatOps.Bot.Commands;
using ChatOps.Integrations.Slack;

namespace ChatOps.Bot.Inbound.Slack;

/// <summary>
/// <c>slack-manifest --url https://bot.example.com [--socket-mode] [--name NAME]</c>: prints the Slack
/// app manifest for this host, its slash commands taken from the <see cref="CommandCatalog"/> so the
/// app never offers a command the bot does not know. Exit code 2 for bad arguments, as usual for CLIs.
/// </summary>
internal static class SlackManifestVerb
{
    public const string Name = "slack-manifest";
    public const string DefaultAppName = "ChatOps";
    public const string Description = "Drives environments, shows the pulse of the show and posts alerts, from chat.";

    private const int UsageError = 2;
    private const int MaxUsageHint = 1000;

    // People paste this into Slack's manifest editor and read it first: keep <env> and … as typed
    // rather than \u003C escapes (safe here: it is printed, never embedded in HTML).
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool Matches(string[] args) => args is [Name, ..];

    public static int Run(CommandCatalog catalog, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? url = null;
        var appName = DefaultAppName;
        var socketMode = false;
        for (var i = 0; i < args.Count; i++)
        {
            var (option, inline) = Split(args[i]);
            switch (option)
            {
                case "--url":
                    url = inline ?? (i + 1 < args.Count ? args[++i] : null);
                    break;
                case "--name":
                    appName = inline ?? (i + 1 < args.Count ? args[++i] : "");
                    break;
                case "--socket-mode":
                    socketMode = true;
                    break;
                default:
                    return Fail(error, $"Unknown argument '{args[i]}'.");
            }
        }

        Uri? baseUrl = null;
        if (!socketMode)
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                return Fail(error, "--url is required: the public https address Slack will send requests to, for instance --url https://bot.example.com.");
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out baseUrl) || baseUrl.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
            {
                return Fail(error, $"--url '{url}' is not a public https base URL (https://host[/path], no query): Slack only sends requests over https.");
            }
        }

        if (string.IsNullOrWhiteSpace(appName) || appName.Length > 35)
        {
            return Fail(error, "--name must be 1 to 35 characters (Slack's limit for app names).");
        }

        var manifest = SlackAppManifest.Build(appName, Description, Commands(catalog), baseUrl, socketMode);
        output.WriteLine(manifest.ToJsonString(Indented));
        return 0;
    }

    /// <summary>Every command group but <c>help</c>, which is reached as <c>/env help</c>.</summary>
    internal static IEnumerable<SlackManifestCommand> Commands(CommandCatalog catalog) =>
        catalog.Groups.Select(g => new SlackManifestCommand("/" + g.Name, g.Summary, UsageHint(catalog, g)));

    private static string UsageHint(CommandCatalog catalog, CommandGroup group)
    {
        var hint = string.Join(" | ", catalog.VerbsOf(group).Select(v => v.Usage).Append(CommandCatalog.Help.Name));
        return hint.Length <= MaxUsageHint ? hint : hint[..(MaxUsageHint - 1)] + "…";
    }

    private static (string Option, string? Inline) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        error.WriteLine($"Usage: {Name} --url https://bot.example.com [--name NAME]   or   {Name} --socket-mode [--name NAME]");
        return UsageError;
    }
}
