using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Storage;

internal static partial class Log
{
    [LoggerMessage(3500, LogLevel.Information, "State store {DataSource} had tables but no schema version: adopting it as written before versioning", EventName = "StateStoreAdopting")]
    public static partial void Adopting(ILogger logger, string dataSource);

    [LoggerMessage(3501, LogLevel.Information, "State store migration {Number} ({Name}) applied", EventName = "StateStoreMigrationApplied")]
    public static partial void MigrationApplied(ILogger logger, int number, string name);

    [LoggerMessage(3502, LogLevel.Information, "State store {DataSource} migrated from schema version {FromVersion} to {ToVersion}", EventName = "StateStoreMigrated")]
    public static partial void Migrated(ILogger logger, string dataSource, int fromVersion, int toVersion);

    [LoggerMessage(3464, LogLevel.Information, "State store on {Provider}: {DataSource}", EventName = "StateStoreOpening")]
    public static partial void Opening(ILogger logger, string provider, string dataSource);

    [LoggerMessage(3460, LogLevel.Debug, "State store write transaction {Count} committed", EventName = "StateStoreWriteCommitted")]
    public static partial void WriteCommitted(ILogger logger, long count);

    [LoggerMessage(3461, LogLevel.Warning, "A shared transaction of {Count} grouped writes could not be committed; each is tried again alone", EventName = "StateStoreGroupedWriteRetriedAlone")]
    public static partial void GroupedWriteRetriedAlone(ILogger logger, int count, Exception exception);

    [LoggerMessage(3462, LogLevel.Debug, "State store write queued for group commit", EventName = "StateStoreGroupedWriteQueued")]
    public static partial void GroupedWriteQueued(ILogger logger);

    [LoggerMessage(3463, LogLevel.Debug, "One state store transaction carried {Count} grouped writes", EventName = "StateStoreGroupedWritesCommitted")]
    public static partial void GroupedWritesCommitted(ILogger logger, int count);
}
