namespace ChatOps.Radiator.Deployments;

/// <summary>A finished infrastructure run (up, provision, halt, destroy) or a deployment found in Elasticsearch.</summary>
/// <param name="Id">Unique per deployment (the run id): writes keyed by it are idempotent.</param>
/// <param name="Who">Who asked for it.</param>
/// <param name="Environment">Where it ran.</param>
/// <param name="Verb">up, provision, halt, destroy…</param>
/// <param name="Version">The version deployed, when there is one.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Result">succeeded, failed, cancelled, interrupted…</param>
/// <param name="FinishedAt">When it ended.</param>
public sealed record DeploymentEvent(string Id, string Who, string Environment, string Verb, string? Version, TimeSpan Duration, string Result, DateTimeOffset FinishedAt)
{
    /// <summary>Who approved it, when it needed a second person's approval.</summary>
    public string? ApprovedBy { get; init; }

    public bool Succeeded => string.Equals(Result, "succeeded", StringComparison.OrdinalIgnoreCase) || string.Equals(Result, "success", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Where finished runs are announced: the deploys channels, the event store and, when configured, Elasticsearch.</summary>
public interface IDeploymentFeed
{
    /// <summary>
    /// Posts and records a finished run. Publishing the same <see cref="DeploymentEvent.Id"/> again edits its
    /// announcement rather than posting another. Failures of one outlet are logged and do not stop the others.
    /// </summary>
    Task PublishAsync(DeploymentEvent deployment, CancellationToken cancellationToken);
}
