using ChatOps.Bot.Audit;
using ChatOps.Bot.Commands;
using ChatOps.Bot.Hosting;
using ChatOps.Bot.Inbound.Discord;
using ChatOps.Bot.Inbound.Slack;
using ChatOps.Bot.Inbound.Teams;
using ChatOps.Bot.Storage;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot;

/// <summary>
/// Command-line verbs that use the host's configuration but do not serve: <c>audit verify</c>, <c>slack-manifest</c>,
/// <c>discord-register</c>, <c>teams-manifest</c>, <c>storage-copy</c>.
/// Beside <c>Program.cs</c> because, like it, it reaches into features (Audit, Inbound) that depend on Hosting.
/// </summary>
internal static class CliVerbs
{
    public static bool Matches(string[] args) =>
        args is ["audit", "verify", ..] || SlackManifestVerb.Matches(args) || DiscordCommandsVerb.Matches(args) || TeamsManifestVerb.Matches(args)
        || StorageCopyVerb.Matches(args);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (SlackManifestVerb.Matches(args))
        {
            return SlackManifestVerb.Run(app.Services.GetRequiredService<CommandCatalog>(), args[1..], Console.Out, Console.Error);
        }

        if (DiscordCommandsVerb.Matches(args))
        {
            return await DiscordCommandsVerb.RunAsync(app.Services, args[1..], Console.Out, Console.Error, CancellationToken.None);
        }

        if (TeamsManifestVerb.Matches(args))
        {
            return TeamsManifestVerb.Run(app.Services.GetRequiredService<CommandCatalog>(), args[1..], Console.Out, Console.Error);
        }

        if (StorageCopyVerb.Matches(args))
        {
            return await StorageCopyVerb.RunAsync(app.Services, args[1..], Console.Out, Console.Error, CancellationToken.None);
        }

        if (!AuditVerifyArguments.TryParse(args[2..], out var heads, out var problem))
        {
            await Console.Error.WriteLineAsync(problem);
            return 2;
        }

        try
        {
            await app.Services.GetRequiredService<StateDatabase>().InitializeAsync(CancellationToken.None);
        }
        catch (SchemaTooNewException tooNew)
        {
            await Console.Error.WriteLineAsync($"chatops: {tooNew.Message}.");
            return BotRunner.CannotStart;
        }

        var result = await app.Services.GetRequiredService<AuditTrail>().VerifyAsync(heads, CancellationToken.None);
        await Console.Out.WriteAsync(AuditVerifyArguments.Describe(result));
        return result.Valid ? 0 : 1;
    }
}
