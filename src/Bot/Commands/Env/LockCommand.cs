using ChatOps.Bot.Audit;
using ChatOps.Bot.Workflows;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env lock test [reason]</c>: holds an environment for the caller until unlock or expiry.</summary>
public sealed class LockCommand(LockStore locks, AuditTrail audit, IOptions<WorkflowOptions> options, TimeProvider time) : IChatCommand
{
    public string Name => "lock";

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!.Name;
        var reason = context.Invocation["reason"];
        var (taken, held) = await locks.TakeAsync(environment, context.Principal.Id, context.Principal.DisplayName, reason, options.Value.LockDuration, cancellationToken);
        if (!taken)
        {
            return CommandResult.Fail(CommandError.Refused, RunWording.Locked(held, time.GetUtcNow()));
        }

        await audit.AppendAsync(new AuditEntry(context.Principal.Id, context.Principal.DisplayName, "locked", environment, null, reason ?? ""), cancellationToken);
        return CommandResult.Ok($"🔒 *{environment}* is yours for {RunWording.Duration(options.Value.LockDuration)}" +
                                (reason is null ? "." : $": {reason}.") + " Others' runs are refused until you `/env unlock " + environment + "`.");
    }
}
