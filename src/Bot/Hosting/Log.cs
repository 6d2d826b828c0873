namespace ChatOps.Bot.Hosting;

internal static partial class Log
{
    [LoggerMessage(1600, LogLevel.Error, "{Method} {Path} failed: {Reason}", EventName = "StorageFaultAnswered")]
    public static partial void StorageFault(ILogger logger, string method, string path, string reason);
}
