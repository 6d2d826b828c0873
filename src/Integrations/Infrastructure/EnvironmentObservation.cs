namespace ChatOps.Integrations.Infrastructure;

/// <summary>What a provider sees of an environment.</summary>
public sealed record EnvironmentObservation(ObservedState State, IReadOnlyList<NodeObservation> Nodes)
{
    /// <summary>Lines describing what reconciliation did (adopted, stopped), empty otherwise.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];
}

public enum ObservedState
{
    Unknown,
    Up,
    Partial,
    Halted,
    Destroyed,
}

public enum NodeHealth
{
    Unknown,
    Healthy,
    Unhealthy,
    Stopped,
}

/// <summary>One node as observed: where it answers, whether it is healthy, which version it runs.</summary>
public sealed record NodeObservation(string Name, NodeHealth Health, Uri? Url = null, string? Version = null, int? ProcessId = null);
