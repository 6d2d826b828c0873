using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Discord.Sending;

/// <summary>A message Discord could never show as asked (a button id longer than Discord allows): sending it again cannot help.</summary>
internal sealed class DiscordRenderException : Exception, IChatSendFailure
{
    public DiscordRenderException()
    {
    }

    public DiscordRenderException(string message)
        : base(message)
    {
    }

    public DiscordRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    TimeSpan? IChatSendFailure.RetryAfter => null;

    bool IChatSendFailure.IsPermanent => true;
}
