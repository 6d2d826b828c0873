using ChatOps.Integrations;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// The workflows by the arguments they carry out (a workflow knows what it does, never which verb asked for
/// it); arguments claimed twice fail at start-up.
/// </summary>
internal sealed class WorkflowRegistry(IEnumerable<IWorkflow> workflows)
    : NamedRegistry<IWorkflow>(workflows, w => w.Arguments.Select(a => a.Name), "workflow")
{
    public IWorkflow For(RunArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return Get(arguments.GetType().Name);
    }
}
