using ChatOps.Bot.Commands;

namespace ChatOps.Bot.Inbound.Teams;

/// <summary>
/// <c>teams-manifest --app-id GUID [--url https://bot.example.com] [--out FILE]</c>: writes the Teams app package (a
/// zip of <c>manifest.json</c> and two icons, see <see cref="TeamsAppPackage"/>) to upload in Teams, and prints where.
/// Exit code 2 for bad arguments, as usual for CLIs.
/// </summary>
internal static class TeamsManifestVerb
{
    public const string Name = "teams-manifest";
    public const string DefaultOut = "chatops-teams.zip";

    private const int UsageError = 2;

    public static bool Matches(string[] args) => args is [Name, ..];

    public static int Run(CommandCatalog catalog, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? appId = null;
        string? url = null;
        var outPath = DefaultOut;
        for (var i = 0; i < args.Count; i++)
        {
            var (option, inline) = Split(args[i]);
            // An option's value is the next argument, unless that is the next option.
            var value = option is "--app-id" or "--url" or "--out"
                ? inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null)
                : null;
            switch (option)
            {
                case "--app-id":
                    appId = value;
                    break;
                case "--url":
                    url = value;
                    break;
                case "--out":
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        return Fail(error, "--out needs a file name, for instance --out chatops-teams.zip.");
                    }

                    outPath = value;
                    break;
                default:
                    return Fail(error, $"Unknown argument '{args[i]}'.");
            }
        }

        if (string.IsNullOrWhiteSpace(appId))
        {
            return Fail(error, "--app-id is required: the Microsoft App ID of the Azure Bot (a GUID, the same as Teams:AppId).");
        }

        if (!Guid.TryParseExact(appId, "D", out var id))
        {
            return Fail(error, $"--app-id '{appId}' is not a GUID like 00000000-0000-0000-0000-000000000000: Teams takes the bot's Microsoft App ID.");
        }

        Uri? baseUrl = null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out baseUrl) || baseUrl.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment)))
        {
            return Fail(error, $"--url '{url}' is not a public https base URL (https://host[/path], no query): the bot's address, whose host becomes the app's valid domain.");
        }

        var fullPath = Path.GetFullPath(outPath);
        if (Directory.Exists(fullPath) || Path.GetDirectoryName(fullPath) is not { } folder || !Directory.Exists(folder))
        {
            return Fail(error, $"--out '{outPath}' is not a file in an existing folder.");
        }

        var manifest = TeamsAppPackage.Manifest(catalog, id, baseUrl);
        using (var file = new FileStream(fullPath, FileMode.Create, FileAccess.Write))
        {
            TeamsAppPackage.Write(file, manifest);
        }

        output.WriteLine($"Wrote the Teams app package to {fullPath} (manifest.json, {TeamsAppPackage.ColorIconFile}, {TeamsAppPackage.OutlineIconFile}).");
        if (baseUrl is null)
        {
            output.WriteLine($"Without --url the developer links point at {TeamsAppPackage.PlaceholderUrl}; pass --url with the bot's address to use it instead.");
        }

        output.WriteLine("Upload it in Teams: Apps > Manage your apps > Upload an app.");
        return 0;
    }

    private static (string Option, string? Inline) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        error.WriteLine($"Usage: {Name} --app-id GUID [--url https://bot.example.com] [--out {DefaultOut}]");
        return UsageError;
    }
}
