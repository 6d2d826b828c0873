using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Commands;

/// <summary>A command: it declares itself (<see cref="Definition"/>) and handles itself. The dispatcher calls it directly.</summary>
internal interface IChatCommand
{
    VerbDefinition Definition { get; }

    Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A command's definition as a static member, so its registration puts it in the <see cref="CommandCatalog"/>
/// without building the command and all it needs (<c>slack-manifest</c> reads the catalog and nothing else).
/// </summary>
internal interface IDeclaresCommand
{
    static abstract VerbDefinition Definition { get; }
}

/// <summary>A command that also answers presses of the buttons its definition declares (<see cref="VerbDefinition.Buttons"/>).</summary>
internal interface IButtonCommand : IChatCommand
{
    /// <summary>
    /// Where the message carrying the pressed button was posted: its outbox key and the destination recorded with
    /// what the button acts on; nulls when the button names nothing that exists (<see cref="PressAsync"/> then says so).
    /// </summary>
    Task<(string? PostKey, ChatDestination? Recorded)> CarrierAsync(ChatAction press, long id, CancellationToken cancellationToken);

    /// <summary>
    /// Acts on the press. <see cref="CommandResult.Ok(OutgoingMessage?)"/> with no reply when the change shows on the
    /// message itself; a failure says why nothing changed, for the presser alone.
    /// </summary>
    Task<CommandResult> PressAsync(ButtonPress press, CancellationToken cancellationToken);
}

/// <summary>A press of a command's button, from a message that carries it: who pressed, and the number the button names.</summary>
internal sealed record ButtonPress(ChatAction Action, Principal Principal, long Id);

/// <summary>
/// Everything a handler needs: who asked, where, the parsed command, its environment and permission, and the
/// request's <see cref="ChatRequest.AnswerSlot"/>, for a run it starts to show its message in.
/// </summary>
internal sealed record CommandContext(Principal Principal, ChatDestination Destination, CommandInvocation Invocation, EnvironmentDefinition? Environment, Permission Permission,
    string? AnswerSlot = null);

/// <summary>What a command did; <see cref="Reply"/> is posted back unless the handler posted its own message.</summary>
internal sealed record CommandResult(CommandError? Error, OutgoingMessage? Reply)
{
    public bool Succeeded => Error is null;

    public static CommandResult Ok(string text) => new(null, OutgoingMessage.Plain(text));

    public static CommandResult Ok(OutgoingMessage? reply = null) => new(null, reply);

    public static CommandResult Fail(CommandError error, string reason) => new(error, OutgoingMessage.Plain(reason));
}
