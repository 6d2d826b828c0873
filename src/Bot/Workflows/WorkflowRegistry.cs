using ChatOps.Integrations;

namespace ChatOps.Bot.Workflows;

/// <summary>The workflows by the kinds of run they carry out; a kind claimed twice fails at start-up.</summary>
public sealed class WorkflowRegistry(IEnumerable<IWorkflow> workflows)
    : NamedRegistry<IWorkflow>(workflows, w => w.Kinds.Select(k => k.Verb), "workflow")
{
    public IWorkflow For(RunKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Get(kind.Verb);
    }
}
