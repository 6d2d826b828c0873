using ChatOps.Bot.Cli;
using ChatOps.Bot.Inbound.Discord;
using ChatOps.Bot.Inbound.Slack;
using ChatOps.Bot.Inbound.Teams;
using ChatOps.Bot.Storage;

namespace ChatOps.Bot;

/// <summary>
/// The command-line verbs that use the host's configuration but do not serve: <c>audit verify</c>, <c>slack-manifest</c>,
/// <c>discord-register</c>, <c>teams-manifest</c>, <c>storage-copy</c>; what they share is <see cref="CliVerb"/>.
/// Beside <c>Program.cs</c> because, like it, it reaches into features (Audit, Inbound) that depend on Hosting.
/// </summary>
internal static class CliVerbs
{
    public static IReadOnlyList<CliVerb> All { get; } =
        [new AuditVerifyVerb(), new SlackManifestVerb(), new DiscordCommandsVerb(), new TeamsManifestVerb(), new StorageCopyVerb()];

    public static bool Matches(string[] args) => Find(args) is not null;

    public static Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        var verb = Find(args) ?? throw new ArgumentException($"'{string.Join(' ', args)}' names no command-line verb.", nameof(args));
        return verb.RunAsync(app.Services, args[verb.WordCount..], Console.Out, Console.Error, CancellationToken.None);
    }

    private static CliVerb? Find(string[] args) => All.FirstOrDefault(v => v.Matches(args));
}
