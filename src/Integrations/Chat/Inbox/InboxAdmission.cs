namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>What <see cref="IChatInbox"/> did with a delivery.</summary>
public enum InboxAdmission
{
    /// <summary>Kept; it will be handled.</summary>
    Accepted,

    /// <summary>Already kept (a platform retry): nothing changed.</summary>
    Duplicate,

    /// <summary>Too many are waiting: not kept, the platform should hear "busy".</summary>
    Full,
}
