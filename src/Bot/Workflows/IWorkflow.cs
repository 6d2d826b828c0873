using ChatOps.Bot.Environments;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// What a run of some verbs does, step by step. The engine owns leases, progress and results;
/// a workflow only plans its steps and carries them out.
/// </summary>
public interface IWorkflow
{
    /// <summary>The verbs this workflow runs.</summary>
    IReadOnlyCollection<string> Verbs { get; }

    /// <summary>The steps, in order, as the progress message will show them.</summary>
    Task<IReadOnlyList<string>> PlanAsync(EnvironmentDefinition environment, string verb, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the steps planned by <see cref="PlanAsync"/> when the run was requested (<see cref="IRunProgress.Plan"/>);
    /// throws <see cref="ProviderException"/> with the reason when one fails.
    /// </summary>
    Task RunAsync(EnvironmentDefinition environment, string verb, IReadOnlyDictionary<string, string> arguments, IRunProgress progress, CancellationToken cancellationToken);
}

/// <summary>The workflows by verb; a verb claimed twice fails at start-up.</summary>
public sealed class WorkflowRegistry
{
    private readonly Dictionary<string, IWorkflow> _byVerb = new(StringComparer.OrdinalIgnoreCase);

    public WorkflowRegistry(IEnumerable<IWorkflow> workflows)
    {
        foreach (var workflow in workflows)
        {
            foreach (var verb in workflow.Verbs)
            {
                if (!_byVerb.TryAdd(verb, workflow))
                {
                    throw new InvalidOperationException($"Two workflows run '{verb}'.");
                }
            }
        }
    }

    public IWorkflow For(string verb) =>
        _byVerb.TryGetValue(verb, out var workflow) ? workflow : throw new InvalidOperationException($"No workflow runs '{verb}'.");
}
