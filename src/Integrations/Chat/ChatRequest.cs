namespace ChatOps.Integrations.Chat;

/// <summary>Someone on a platform, as that platform names them.</summary>
public sealed record ChatUser(string Platform, string Id, string? DisplayName = null)
{
    /// <summary>The key identity configuration uses: <c>webchat:alice</c>, <c>slack:U123</c>.</summary>
    public string Key => $"{Platform}:{Id}";

    public string Name => DisplayName ?? Id;
}

/// <summary>
/// A message addressed to the bot, already verified and translated by its platform adapter.
/// <see cref="DeliveryId"/> is the platform's own id for this delivery (event id, interaction id),
/// so a retried delivery is recognised and runs nothing twice.
/// </summary>
public sealed record ChatRequest(
    ChatDestination Destination,
    ChatUser User,
    string Text,
    string DeliveryId,
    string? MessageId = null,
    string? ThreadOf = null)
{
    /// <summary>
    /// A message the platform opened for the bot's answer to this request, in the form its sender recognises
    /// (a Discord interaction's deferred response), or null. The first post that answers the request, its reply
    /// or the message of a run it starts, fills that message instead of posting a new one; it travels to the
    /// sender as the post's thread parent. Platforms without one (Slack, web chat) leave it null.
    /// </summary>
    public string? AnswerSlot { get; init; }
}

/// <summary>A button press on one of the bot's messages.</summary>
public sealed record ChatAction(
    ChatDestination Destination,
    ChatUser User,
    string MessageId,
    string ActionId,
    string DeliveryId);
