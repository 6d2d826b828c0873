using ChatOps.Bot.Audit;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env lock test [reason]</c>: holds an environment for the caller until unlock or expiry.</summary>
internal sealed class LockCommand(LockStore locks, AuditTrail audit, IOptions<WorkflowOptions> options, TimeProvider time) : IChatCommand, IDeclaresCommand
{
    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = "lock", Aliases = ["hold", "reserve"], Tier = PolicyTier.Change,
        Arguments = [EnvCommands.Environment, new(ReasonArgument, ArgumentKind.Text, "why you hold it")],
        Summary = "Hold an environment for yourself: others' runs are refused until you unlock it.",
        Examples = ["/env lock test testing the new checkout"],
    };

    private const string ReasonArgument = "reason";

    VerbDefinition IChatCommand.Definition => Definition;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!.Name;
        var reason = context.Invocation[ReasonArgument];
        var (taken, held) = await locks.TakeAsync(environment, context.Principal.Id, context.Principal.DisplayName, reason, options.Value.LockDuration, cancellationToken);
        if (!taken)
        {
            return CommandResult.Fail(CommandError.Refused, RunWording.Locked(held, time.GetUtcNow()));
        }

        await audit.AppendAsync(new AuditEntry(context.Principal.Id, context.Principal.DisplayName, "locked", environment, null, reason ?? ""), cancellationToken);
        return CommandResult.Ok($"🔒 *{environment}* is yours for {RunWording.Duration(options.Value.LockDuration)}" +
                                (reason is null ? "." : $": {reason}.") + $" Others' runs are refused until you `/{UnlockCommand.Definition.Key} {environment}`.");
    }
}
