using ChatOps.Radiator.Deployments;

namespace ChatOps.Bot.Workflows;

/// <summary>Every run that started or stopped nodes goes to the radiator's deployment feed (#deploys, the event store, Elasticsearch).</summary>
internal sealed class DeploymentAnnouncer(IDeploymentFeed feed, RunKinds kinds) : IRunObserver
{
    public Task RunFinishedAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (kinds.Find(run.Verb) is not { ChangesNodes: true } || run.StartedAt is null)
        {
            return Task.CompletedTask;
        }

        var ended = run.EndedAt ?? run.StartedAt.Value;
        return feed.PublishAsync(new DeploymentEvent($"run-{run.Id}", run.RequesterName, run.Environment, run.Verb, run.Arguments.GetValueOrDefault("version"),
            ended - run.StartedAt.Value, run.Status.ToWire(), ended) { ApprovedBy = run.ApprovedBy }, cancellationToken);
    }
}
