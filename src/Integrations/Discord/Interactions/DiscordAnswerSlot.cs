namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>
/// How an interaction's original response is named as a request's <see cref="Chat.ChatRequest.AnswerSlot"/>:
/// <c>interaction:{id}</c>. It reaches <see cref="Sending.DiscordChatSender"/> as the thread parent of the post that
/// answers, which then fills the original response instead of posting. The prefix keeps it apart from a real
/// message id (both are snowflakes), which the sender answers with a reply.
/// </summary>
internal static class DiscordAnswerSlot
{
    private const string Prefix = "interaction:";

    public static string For(string interactionId) => Prefix + interactionId;

    public static bool TryParse(string? slot, out string interactionId)
    {
        if (slot is not null && slot.StartsWith(Prefix, StringComparison.Ordinal) && slot.Length > Prefix.Length)
        {
            interactionId = slot[Prefix.Length..];
            return true;
        }

        interactionId = "";
        return false;
    }
}
