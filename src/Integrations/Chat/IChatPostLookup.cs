namespace ChatOps.Integrations.Chat;

/// <summary>
/// Implemented by an <see cref="IChatSender"/> whose platform can say whether a post stamped with an
/// <see cref="OutgoingMessage.DeliveryKey"/> is already there. The outbox asks before posting again a
/// message whose earlier attempt may have reached the platform without its id being recorded (a crash
/// or a timeout between "accepted" and "recorded"), so a restart never shows a message twice.
/// </summary>
internal interface IChatPostLookup
{
    /// <summary>
    /// The id of the message posted with <paramref name="deliveryKey"/>, in the form
    /// <see cref="IChatSender.PostAsync"/> returns, or null when the platform has none. Throws as a send
    /// does (an <see cref="IChatSendFailure"/> says whether asking again can help) when it cannot tell.
    /// </summary>
    /// <param name="destination">Where the message was posted.</param>
    /// <param name="deliveryKey">The key the post carried.</param>
    /// <param name="threadOf">The message it replies under, when it is a thread reply.</param>
    /// <param name="since">No earlier than this, by our clock, can the post have been made.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<string?> FindPostAsync(ChatDestination destination, string deliveryKey, string? threadOf, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether a post of <paramref name="message"/> can be found again at all. When it cannot (a Slack
    /// ephemeral message is in no history), the outbox does not ask and posts again.
    /// </summary>
    bool CanFind(OutgoingMessage message) => true;
}
