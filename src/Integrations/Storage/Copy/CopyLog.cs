using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Storage.Copy;

internal static partial class CopyLog
{
    [LoggerMessage(3900, LogLevel.Information, "Copying the state store {Source} (schema version {Version}) into {Target}", EventName = "StateCopyStarting")]
    public static partial void Starting(ILogger logger, string source, int version, string target);

    [LoggerMessage(3901, LogLevel.Debug, "Copied {Rows} rows into {Table}", EventName = "StateCopyTableCopied")]
    public static partial void TableCopied(ILogger logger, string table, long rows);

    [LoggerMessage(3902, LogLevel.Information, "Copied {Rows} rows in {Tables} tables into {Target}", EventName = "StateCopyCommitted")]
    public static partial void Committed(ILogger logger, long rows, int tables, string target);

    [LoggerMessage(3903, LogLevel.Warning, "State store copy refused, nothing kept: {Reason}", EventName = "StateCopyRefused")]
    public static partial void Refused(ILogger logger, string reason);
}
