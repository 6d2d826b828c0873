using Microsoft.Extensions.Logging;

namespace ChatOps.Radiator.Deployments;

internal static partial class Log
{
    [LoggerMessage(EventId = 2150, EventName = "DeploymentPublished", Level = LogLevel.Information, Message = "Deployment {DeploymentId}: {Verb} on {Environment} {Result}")]
    public static partial void DeploymentPublished(ILogger logger, string deploymentId, string environment, string verb, string result);

    [LoggerMessage(EventId = 2151, EventName = "DeploymentPostFailed", Level = LogLevel.Warning, Message = "Queueing a deployment for {Destination} failed")]
    public static partial void DeploymentPostFailed(ILogger logger, string destination, Exception exception);

    [LoggerMessage(EventId = 2152, EventName = "DeploymentStoreFailed", Level = LogLevel.Warning, Message = "Recording deployment {DeploymentId} in the event store failed")]
    public static partial void DeploymentStoreFailed(ILogger logger, string deploymentId, Exception exception);

    [LoggerMessage(EventId = 2153, EventName = "DeploymentIndexFailed", Level = LogLevel.Warning, Message = "Indexing deployment {DeploymentId} into {Index} failed")]
    public static partial void DeploymentIndexFailed(ILogger logger, string deploymentId, string index, Exception exception);

    [LoggerMessage(EventId = 2154, EventName = "DeploymentWatchFailed", Level = LogLevel.Warning, Message = "Reading deployments from {Index} failed; retried at the next interval")]
    public static partial void DeploymentWatchFailed(ILogger logger, string index, Exception exception);

    [LoggerMessage(EventId = 2155, EventName = "DeploymentFoundInElasticsearch", Level = LogLevel.Information, Message = "Posted deployment {DocumentId} found in {Index}")]
    public static partial void DeploymentFound(ILogger logger, string documentId, string index);
}
