using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Watch;

/// <summary>
/// What the bot's own records say an environment should be: up when the last run that started or
/// stopped its nodes was an up or provision that succeeded. Runs that never started (refused, rejected,
/// expired) say nothing about the nodes.
/// </summary>
internal sealed record EnvironmentBelief(bool Busy, bool Up, RunRecord? DecidingRun, long? NewestRunId)
{
    /// <summary>Enough history to see past balance, sorry and refused runs to the last one that touched the nodes.</summary>
    private const int History = 50;

    public static async Task<EnvironmentBelief> ReadAsync(RunStore runs, RunKinds kinds, string environment, CancellationToken cancellationToken)
    {
        var lease = await runs.GetLeaseAsync(environment, cancellationToken);
        var recent = await runs.ListAsync(environment, History, cancellationToken);
        var deciding = recent.FirstOrDefault(r => kinds.Find(r.Verb) is { ChangesNodes: true } && r.StartedAt is not null);
        var busy = lease is not null || recent.Any(r => r.Status is RunStatus.Pending or RunStatus.Running);
        var up = deciding is { Status: RunStatus.Succeeded } && kinds.Find(deciding.Verb) is { Operation: InfraVerb.Up or InfraVerb.Provision };
        return new EnvironmentBelief(busy, up, deciding, recent.FirstOrDefault()?.Id);
    }
}
