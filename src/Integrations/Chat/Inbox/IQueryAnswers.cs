namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// The host's answers to requests that only read (an environment's status, its history, help). Such a request is kept as done
/// together with its answer, in the transaction that keeps it, instead of being claimed, run and closed by the inbox's
/// worker in three more: running it again would change nothing, so it needs no "started" mark to keep it from running
/// twice. Anything else, and a query whose answer does not come quickly, takes the queue as before.
/// </summary>
public interface IQueryAnswers
{
    /// <summary>The answer to <paramref name="text"/> from <paramref name="user"/> in <paramref name="destination"/>, or null when it must take the queue.</summary>
    Task<OutgoingMessage?> AnswerAsync(ChatDestination destination, ChatUser user, string text, CancellationToken cancellationToken);
}
