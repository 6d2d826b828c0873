using ChatOps.Bot.Audit;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env unlock test</c>: releases the caller's lock; a holder of the environment's approver role may break someone else's.</summary>
internal sealed class UnlockCommand(LockStore locks, AuditTrail audit, TimeProvider time) : IChatCommand, IDeclaresCommand
{
    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = "unlock", Aliases = ["free"], Arguments = [EnvCommands.Environment], Tier = PolicyTier.Change,
        Summary = "Release your lock (ops can break someone else's).", Examples = ["/env unlock test"],
    };

    VerbDefinition IChatCommand.Definition => Definition;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!;
        var held = await locks.GetAsync(environment.Name, cancellationToken);
        if (held is null)
        {
            return CommandResult.Fail(CommandError.Refused, $"*{environment.Name}* is not locked.");
        }

        var own = context.Principal.Is(held.HolderId);
        var breakerRole = environment.Policy.ApproverRole;
        if (!own && !context.Principal.HasRole(breakerRole))
        {
            return CommandResult.Fail(CommandError.Unauthorized,
                $"{RunWording.Locked(held, time.GetUtcNow())} Only {held.HolderName} or a member of *{breakerRole}* can unlock it.");
        }

        if (!await locks.ReleaseAsync(held, cancellationToken))
        {
            return CommandResult.Fail(CommandError.Refused, $"The lock on *{environment.Name}* changed in the meantime; nothing was released.");
        }

        await audit.AppendAsync(new AuditEntry(context.Principal.Id, context.Principal.DisplayName, own ? "unlocked" : "lock-broken", environment.Name, null,
            own ? "" : $"broke the lock of {held.HolderName} ({held.Reason})"), cancellationToken);
        return CommandResult.Ok(own ? $"🔓 *{environment.Name}* is unlocked." : $"🔓 {context.Principal.DisplayName} broke {held.HolderName}'s lock on *{environment.Name}*.");
    }
}
