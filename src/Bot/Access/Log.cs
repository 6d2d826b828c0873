namespace ChatOps.Bot.Access;

internal static partial class Log
{
    [LoggerMessage(1550, LogLevel.Warning, "Refused a request for {Path}: the Host {Host} is not one this bot answers to", EventName = "HostRefused")]
    public static partial void HostRefused(ILogger logger, string host, string path);

    [LoggerMessage(1551, LogLevel.Warning, "Refused a cross-site request to change {Path} ({Evidence})", EventName = "CrossOriginRefused")]
    public static partial void CrossOriginRefused(ILogger logger, string path, string evidence);

    [LoggerMessage(1552, LogLevel.Warning, "Refused a request for {Path} that needs a token: WebChat:AccessToken is not set", EventName = "AccessTokenNotConfigured")]
    public static partial void NoTokenConfigured(ILogger logger, string path);

    [LoggerMessage(1553, LogLevel.Information, "Refused a request for {Path}: {Reason}", EventName = "AccessTokenRefused")]
    public static partial void TokenRefused(ILogger logger, string path, string reason);
}
