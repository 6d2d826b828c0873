namespace ChatOps.Integrations.Discord.Rest;

/// <summary>
/// One REST route as Discord's rate limits see it: the method and path template (<c>POST /channels/{channel_id}/messages</c>),
/// and the top-level resource in the path (a channel, a guild, a webhook with its token) whose limits are counted apart.
/// Two channels never share a bucket; two routes may, once Discord names their shared <c>X-RateLimit-Bucket</c>.
/// </summary>
internal sealed record DiscordRoute(string Method, string Template, string MajorParameter)
{
    /// <summary>The route without its resource, the key under which Discord's bucket name is learnt.</summary>
    public string Key => $"{Method} {Template}";

    /// <summary>
    /// Interaction callbacks and interaction webhooks are not bound by the bot's global limit (rate-limits topic,
    /// "Global Rate Limit"), so a global wait does not hold them back.
    /// </summary>
    public bool ExemptFromGlobalLimit { get; init; }

    /// <summary>
    /// True when sending the request twice has the effect of sending it once: reads, edits to the same content,
    /// overwrites, deletes, and a message creation that carries a nonce Discord enforces. Only these are repeated
    /// after a server error or a lost answer.
    /// </summary>
    public bool SafeToRepeat { get; init; }

    public override string ToString() => MajorParameter.Length == 0 ? Key : $"{Key} [{MajorParameter}]";
}

/// <summary>What the client tells its handlers about a request.</summary>
internal static class DiscordRequestOptions
{
    public static readonly HttpRequestOptionsKey<DiscordRoute> Route = new("discord.route");
}
