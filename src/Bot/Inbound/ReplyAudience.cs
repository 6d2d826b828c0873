using ChatOps.Bot.Commands;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// Who sees the bot's answer to a message. Help and refusals (a message that is no command, a "did you
/// mean", no permission, a lock, an unknown environment, a bad argument) matter to the person who asked
/// alone, so they are shown to that person only, as Slack and Teams do. Everything that changes or reports
/// shared state (runs, confirmations and approvals, <c>/env status</c>, <c>/env list</c>, a lock taken) and
/// a question or correction that offers buttons (edited once answered) stays with the channel, where others need it. A button press
/// is answered in words only when it changed nothing, so that answer is a refusal too, for the presser alone.
/// </summary>
internal static class ReplyAudience
{
    /// <summary>True when the answer to <paramref name="outcome"/> (with the command's <paramref name="result"/> when it ran) is for the asker alone.</summary>
    public static bool IsForAskerAlone(ParseOutcome outcome, CommandResult? result = null) => outcome switch
    {
        HelpRequested or ParseFailure => true,
        Parsed => result?.Error is { } error && IsRefusal(error),
        _ => false,
    };

    /// <summary>
    /// A command that would not run because of who asked or what they typed. <see cref="CommandError.Failed"/>
    /// is not one: a command that broke while running concerns everyone watching the environment.
    /// </summary>
    public static bool IsRefusal(CommandError error) => error is not CommandError.Failed;

    /// <summary><paramref name="message"/> addressed to <paramref name="asker"/> alone.</summary>
    public static OutgoingMessage ForAsker(OutgoingMessage message, ChatUser asker)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(asker);
        return message with { VisibleTo = asker.Id };
    }
}
