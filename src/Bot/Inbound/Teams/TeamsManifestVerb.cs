using ChatOps.Bot.Cli;
using ChatOps.Bot.Commands;

namespace ChatOps.Bot.Inbound.Teams;

/// <summary>
/// <c>teams-manifest --app-id GUID [--url https://bot.example.com] [--out FILE]</c>: writes the Teams app package (a
/// zip of <c>manifest.json</c> and two icons, see <see cref="TeamsAppPackage"/>) to upload in Teams, and prints where.
/// Exit code 2 for bad arguments, as usual for CLIs.
/// </summary>
internal sealed class TeamsManifestVerb() : CliVerb(
    "teams-manifest",
    [AppId, Url, Out],
    $"--app-id GUID [--url https://bot.example.com] [--out {DefaultOut}]",
    [
        "  Writes the Teams app package (manifest.json and two icons, with the bot's commands) to upload in Teams.",
        "  --app-id  the Azure Bot's Microsoft App ID, the same as Teams:AppId.",
        "  --url     the bot's public https address; its host becomes the app's valid domain. Default: a placeholder.",
        $"  --out     the file to write. Default: {DefaultOut} in the current folder.",
    ])
{
    public const string DefaultOut = "chatops-teams.zip";

    private static readonly CliOption AppId = new("--app-id", "the Microsoft App ID of the Azure Bot (a GUID, the same as Teams:AppId)");
    private static readonly CliOption Url = new("--url", "the bot's public https address, for instance --url https://bot.example.com");
    private static readonly CliOption Out = new("--out", $"a file name, for instance --out {DefaultOut}");

    protected override async Task<int> ExecuteAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var appId = args.Value(AppId);
        var url = args.Value(Url);
        var outPath = args.Value(Out) ?? DefaultOut;
        if (appId is null)
        {
            return await RefuseArgumentsAsync(error, AppId.Required());
        }

        if (!Guid.TryParseExact(appId, "D", out var id))
        {
            return await RefuseArgumentsAsync(error, $"--app-id '{appId}' is not a GUID like 00000000-0000-0000-0000-000000000000: Teams takes the bot's Microsoft App ID.");
        }

        Uri? baseUrl = null;
        if (url is not null && !HttpsBaseUrl.TryParse(url, out baseUrl))
        {
            return await RefuseArgumentsAsync(error, HttpsBaseUrl.Refusal(url, "the bot's address, whose host becomes the app's valid domain."));
        }

        var fullPath = Path.GetFullPath(outPath);
        if (Directory.Exists(fullPath) || Path.GetDirectoryName(fullPath) is not { } folder || !Directory.Exists(folder))
        {
            return await RefuseArgumentsAsync(error, $"--out '{outPath}' is not a file in an existing folder.");
        }

        var manifest = TeamsAppPackage.Manifest(services.GetRequiredService<CommandCatalog>(), id, baseUrl);
        await using (var file = new FileStream(fullPath, FileMode.Create, FileAccess.Write))
        {
            TeamsAppPackage.Write(file, manifest);
        }

        await output.WriteLineAsync($"Wrote the Teams app package to {fullPath} (manifest.json, {TeamsAppPackage.ColorIconFile}, {TeamsAppPackage.OutlineIconFile}).");
        if (baseUrl is null)
        {
            await output.WriteLineAsync($"Without --url the developer links point at {TeamsAppPackage.PlaceholderUrl}; pass --url with the bot's address to use it instead.");
        }

        await output.WriteLineAsync("Upload it in Teams: Apps > Manage your apps > Upload an app.");
        return 0;
    }
}
