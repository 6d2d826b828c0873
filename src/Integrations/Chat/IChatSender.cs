namespace ChatOps.Integrations.Chat;

/// <summary>Sends and edits messages on one chat platform.</summary>
internal interface IChatSender
{
    /// <summary>The platform this sender serves, matching <see cref="ChatDestination.Platform"/>.</summary>
    string Platform { get; }

    /// <summary>Posts a message, or a reply in the thread of <paramref name="threadOf"/> when given; returns its id.</summary>
    Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces the content of a message posted earlier by this sender.</summary>
    Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default);
}
