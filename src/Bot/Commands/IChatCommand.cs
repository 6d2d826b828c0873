using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Commands;

/// <summary>A verb's handler. Registered by <see cref="Name"/> (the verb); the dispatcher calls it directly.</summary>
public interface IChatCommand
{
    string Name { get; }

    Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}

/// <summary>Everything a handler needs: who asked, where, the parsed command, its environment and permission.</summary>
public sealed record CommandContext(Principal Principal, ChatDestination Destination, CommandInvocation Invocation, EnvironmentDefinition? Environment, Permission Permission);

/// <summary>What a command did; <see cref="Reply"/> is posted back unless the handler posted its own message.</summary>
public sealed record CommandResult(CommandError? Error, OutgoingMessage? Reply)
{
    public bool Succeeded => Error is null;

    public static CommandResult Ok(string text) => new(null, OutgoingMessage.Plain(text));

    public static CommandResult Ok(OutgoingMessage? reply = null) => new(null, reply);

    public static CommandResult Fail(CommandError error, string reason) => new(error, OutgoingMessage.Plain(reason));
}
