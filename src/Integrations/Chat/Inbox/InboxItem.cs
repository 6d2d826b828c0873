namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// One kept delivery: one of <see cref="Request"/> and <see cref="Action"/> is set, or neither when
/// its stored form could not be read (<see cref="IsReadable"/>).
/// </summary>
public sealed record InboxItem(long Seq, string DeliveryId, string Lane, string Summary, ChatRequest? Request, ChatAction? Action)
{
    public bool IsReadable => Request is not null || Action is not null;

    public ChatDestination Destination => Request?.Destination ?? Action!.Destination;

    public ChatUser User => Request?.User ?? Action!.User;

    /// <summary>
    /// Where an answer goes: the message the platform opened for it (<see cref="ChatRequest.AnswerSlot"/>), the
    /// request's thread, or under the message whose button was pressed.
    /// </summary>
    public string? ThreadOf => Request is { } request ? request.AnswerSlot ?? request.ThreadOf : Action!.MessageId;

    /// <summary>
    /// Messages from one person in one channel are handled one after another, in order; different
    /// lanes run in parallel.
    /// </summary>
    public static string LaneOf(ChatDestination destination, ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(user);
        return $"{destination}|{user.Key}";
    }
}
