namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>
/// A verified interaction the bot cannot use (no user, no channel, an unknown type or component, a command without
/// a name): nothing was kept. The interactions endpoint answers it with 400 and the <see cref="Exception.Message"/>.
/// </summary>
public sealed class DiscordInteractionException : Exception
{
    public DiscordInteractionException()
    {
    }

    public DiscordInteractionException(string message)
        : base(message)
    {
    }

    public DiscordInteractionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
