using System.Text.Encodings.Web;
using System.Text.Json;
using ChatOps.Bot.Cli;
using ChatOps.Bot.Commands;
using ChatOps.Integrations.Slack;

namespace ChatOps.Bot.Inbound.Slack;

/// <summary>
/// <c>slack-manifest --url https://bot.example.com [--socket-mode] [--name NAME]</c>: prints the Slack
/// app manifest for this host, its slash commands taken from the <see cref="CommandCatalog"/> so the
/// app never offers a command the bot does not know. Exit code 2 for bad arguments, as usual for CLIs.
/// </summary>
internal sealed class SlackManifestVerb() : CliVerb(
    Verb,
    [Url, SocketMode, AppName],
    $"--url https://bot.example.com [--name NAME]   or   {Verb} --socket-mode [--name NAME]",
    [
        "  Prints the Slack app manifest for this bot, its slash commands taken from the bot's commands.",
        "  --url          the public https address Slack sends requests to.",
        "  --socket-mode  the bot connects to Slack instead, so no address is needed.",
        $"  --name         the app's name, 1 to 35 characters. Default: {DefaultAppName}.",
    ])
{
    public const string DefaultAppName = "ChatOps";
    public const string Description = "Drives environments, shows the pulse of the show and posts alerts, from chat.";

    private const string Verb = "slack-manifest";
    private const int MaxUsageHint = 1000;

    private static readonly CliOption Url = new("--url", "the public https address Slack will send requests to, for instance --url https://bot.example.com");
    private static readonly CliOption SocketMode = new("--socket-mode");
    private static readonly CliOption AppName = new("--name", "the app's name, 1 to 35 characters (Slack's limit for app names)");

    // People paste this into Slack's manifest editor and read it first: keep <env> and … as typed
    // rather than \u003C escapes (safe here: it is printed, never embedded in HTML).
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    protected override async Task<int> ExecuteAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var url = args.Value(Url);
        var appName = args.Value(AppName) ?? DefaultAppName;
        var socketMode = args.Has(SocketMode);
        Uri? baseUrl = null;
        if (!socketMode)
        {
            if (url is null)
            {
                return await RefuseArgumentsAsync(error, Url.Required());
            }

            if (!HttpsBaseUrl.TryParse(url, out baseUrl))
            {
                return await RefuseArgumentsAsync(error, HttpsBaseUrl.Refusal(url, "Slack only sends requests over https."));
            }
        }

        if (appName.Length > 35)
        {
            return await RefuseArgumentsAsync(error, "--name must be 1 to 35 characters (Slack's limit for app names).");
        }

        var catalog = services.GetRequiredService<CommandCatalog>();
        var manifest = SlackAppManifest.Build(appName, Description, Commands(catalog), baseUrl, socketMode);
        await output.WriteLineAsync(manifest.ToJsonString(Indented));
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
}
