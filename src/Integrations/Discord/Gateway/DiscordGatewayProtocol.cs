namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>The Gateway opcodes this client sends or understands (Discord's "Gateway Opcodes" table).</summary>
internal enum GatewayOpcode
{
    Dispatch = 0,
    Heartbeat = 1,
    Identify = 2,
    Resume = 6,
    Reconnect = 7,
    InvalidSession = 9,
    Hello = 10,
    HeartbeatAck = 11,
}

/// <summary>
/// The Gateway intents the bot asks for, as Discord numbers them (<c>1 &lt;&lt; n</c>). Only what a conversational
/// command needs: messages in guild channels and in direct messages, and their text. Interactions need no intent.
/// </summary>
internal static class DiscordIntents
{
    /// <summary><c>GUILD_MESSAGES (1 &lt;&lt; 9)</c>: MESSAGE_CREATE in guild channels.</summary>
    public const int GuildMessages = 1 << 9;

    /// <summary><c>DIRECT_MESSAGES (1 &lt;&lt; 12)</c>: MESSAGE_CREATE in direct messages with the bot.</summary>
    public const int DirectMessages = 1 << 12;

    /// <summary>
    /// <c>MESSAGE_CONTENT (1 &lt;&lt; 15)</c>, privileged: the text of messages. Discord sends the text of a message that
    /// mentions the bot even without it, but not of a reply to the bot's message whose mention was turned off, so the
    /// bot asks for it; it must be switched on in the developer portal or Discord closes the connection with 4014.
    /// </summary>
    public const int MessageContent = 1 << 15;

    /// <summary>All the bot identifies with: 37376.</summary>
    public const int Required = GuildMessages | DirectMessages | MessageContent;
}

/// <summary>The Gateway's query string: the API version and the encoding, on the first URL and the resume URL alike.</summary>
internal static class GatewayUrl
{
    public const string Query = "v=10&encoding=json";

    /// <summary><paramref name="url"/> with <c>?v=10&amp;encoding=json</c>, replacing whatever query it had.</summary>
    public static Uri WithQuery(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var builder = new UriBuilder(url) { Query = Query };
        if (string.IsNullOrEmpty(builder.Path))
        {
            builder.Path = "/";
        }

        return builder.Uri;
    }
}
