using ChatOps.Bot.Environments;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// What a run of some kinds does, step by step. The engine owns leases, progress and results;
/// a workflow only plans its steps and carries them out.
/// </summary>
internal interface IWorkflow
{
    /// <summary>The types of <see cref="RunArguments"/> this workflow carries out.</summary>
    IReadOnlyCollection<Type> Arguments { get; }

    /// <summary>The steps, in order, as the progress message will show them.</summary>
    Task<IReadOnlyList<string>> PlanAsync(EnvironmentDefinition environment, RunArguments arguments, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the steps planned by <see cref="PlanAsync"/> when the run was requested (<see cref="IRunProgress.Plan"/>);
    /// throws <see cref="ProviderException"/> with the reason when one fails.
    /// </summary>
    Task RunAsync(EnvironmentDefinition environment, RunArguments arguments, IRunProgress progress, CancellationToken cancellationToken);
}
