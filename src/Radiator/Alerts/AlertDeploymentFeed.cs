using ChatOps.Radiator.Deployments;
using Microsoft.Extensions.Logging;

namespace ChatOps.Radiator.Alerts;

/// <summary>Passes deployments on and remembers each environment's latest, so alerts starting soon after can say so.</summary>
internal sealed class AlertDeploymentFeed(IDeploymentFeed inner, AlertService alerts, ILogger<AlertDeploymentFeed> logger) : IDeploymentFeed
{
    public async Task PublishAsync(DeploymentEvent deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        // Recorded before it is announced: once #deploys shows a deployment, alerts already know it.
        try
        {
            var what = $"{deployment.Verb} of {deployment.Environment}" + (deployment.Version is null ? "" : $" {deployment.Version}") + $" by {deployment.Who}";
            await alerts.RecordDeploymentAsync(deployment.Environment, deployment.FinishedAt, what, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.DeploymentRecordFailed(logger, deployment.Id, ex);
        }

        await inner.PublishAsync(deployment, cancellationToken);
    }
}
