using ChatOps.Bot.Audit;
using ChatOps.Bot.Cli;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot;

/// <summary>
/// <c>audit verify [--head count:hash]…</c>: checks the audit trail's keyed chain against the heads an auditor copied from
/// the audit channel, and names everything it checked. Exit codes: 0 valid, 1 broken, 2 bad arguments or a state store
/// newer than this build. In the root, like <see cref="CliVerbs"/>: it joins Audit to Hosting's exit codes, and Audit
/// itself stays free of Hosting.
/// </summary>
internal sealed class AuditVerifyVerb() : CliVerb(
    "audit verify",
    [Head],
    "[--head count:hash]…",
    [
        "  Checks the audit trail's keyed chain and names what it checked: records, key source, published heads compared.",
        "  --head  a head as posted in the audit channel; repeat it for several. Records removed from the end show only against one.",
    ])
{
    private static readonly CliOption Head = new("--head", AuditVerifyArguments.HeadNeeds);

    protected override async Task<int> ExecuteAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!AuditVerifyArguments.TryParseHeads(args.Values(Head), out var heads, out var problem))
        {
            return await RefuseArgumentsAsync(error, problem);
        }

        try
        {
            await services.GetRequiredService<StateDatabase>().InitializeAsync(cancellationToken);
        }
        catch (SchemaTooNewException tooNew)
        {
            await error.WriteLineAsync($"chatops: {tooNew.Message}.");
            return BotRunner.CannotStart;
        }

        var result = await services.GetRequiredService<AuditTrail>().VerifyAsync(heads, cancellationToken);
        await output.WriteAsync(AuditVerifyArguments.Describe(result));
        return result.Valid ? 0 : 1;
    }
}
