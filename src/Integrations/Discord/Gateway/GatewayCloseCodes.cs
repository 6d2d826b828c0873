namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>What the client does after Discord closed the connection with a given code.</summary>
internal enum CloseAction
{
    /// <summary>Reconnect and resume the session (the events missed in between are replayed).</summary>
    Resume,

    /// <summary>Reconnect and identify again: the session is gone.</summary>
    Identify,

    /// <summary>Do not reconnect: trying again would fail the same way until someone changes something.</summary>
    Stop,
}

/// <summary>
/// Discord's Gateway close event codes (4000–4014) and what each one means for this client. The codes the docs
/// mark "Reconnect: false" stop the connection, with a sentence saying what the operator must change.
/// </summary>
internal static class GatewayCloseCodes
{
    public const int AuthenticationFailed = 4004;
    public const int DisallowedIntents = 4014;

    /// <summary>The code this client closes with when it means to resume: anything but 1000 and 1001 keeps the session.</summary>
    public const int Reconnecting = 4000;

    public static CloseAction ActionFor(int? code) => code switch
    {
        // The session is gone: a bad sequence on resume, a timed-out session, or one Discord invalidated.
        4003 or 4007 or 4009 => CloseAction.Identify,
        4004 or 4010 or 4011 or 4012 or 4013 or 4014 => CloseAction.Stop,
        // 4000-4002, 4005, 4008, the WebSocket codes, and a connection that ended without any code.
        _ => CloseAction.Resume,
    };

    /// <summary>Why Discord refused the connection for good, and what to change; null for a code that may be retried.</summary>
    public static string? Advice(int? code) => code switch
    {
        4004 => "Discord refused the bot token (close code 4004, authentication failed). Set Discord__BotToken to the token "
            + "from the Bot page of the application in the developer portal (Reset Token shows a new one) and restart the bot.",
        4010 => "Discord refused the shard sent when identifying (close code 4010, invalid shard); the bot identifies without "
            + "sharding, so this is a fault in the bot: report it.",
        4011 => "Discord requires sharding for this bot (close code 4011, sharding required): it is in more guilds than one "
            + "connection may serve (2,500), and this bot does not shard. Use the interactions endpoint instead "
            + "(Discord:Gateway=false with Discord:PublicKey).",
        4012 => "Discord refused the Gateway API version (close code 4012, invalid API version); the bot asks for v10.",
        4013 => $"Discord refused the intents (close code 4013, invalid intents); the bot asks for {DiscordIntents.Required} "
            + "(guild messages, direct messages, message content).",
        4014 => "Discord refused a privileged intent (close code 4014, disallowed intents): enable the Message Content Intent "
            + "under Privileged Gateway Intents on the Bot page of the application in the developer portal "
            + "(https://discord.com/developers/applications), then restart the bot.",
        _ => null,
    };
}
