using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Teams.Authentication;

/// <summary>Bot Framework token log messages; EventIds 3700-3709 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3700, LogLevel.Information, "Bot Framework signing keys fetched: {Count} from {JwksUri}", EventName = "TeamsSigningKeysFetched")]
    public static partial void SigningKeysFetched(ILogger logger, int count, Uri jwksUri);

    [LoggerMessage(3701, LogLevel.Warning, "Bot Framework signing keys could not be read from the metadata at {MetadataUrl}: {Reason}; the keys already held stay in use", EventName = "TeamsSigningKeysUnreadable")]
    public static partial void SigningKeysUnreadable(ILogger logger, Uri metadataUrl, string reason);

    [LoggerMessage(3702, LogLevel.Debug, "Bot Framework token refused as {Failure} ({Exception})", EventName = "TeamsTokenDetail")]
    public static partial void TokenDetail(ILogger logger, BotFrameworkTokenFailure failure, string? exception);
}
