namespace ChatOps.Integrations.Infrastructure;

/// <summary>
/// Runs infrastructure verbs for one kind of environment (Local processes, a configured Command,
/// Vagrant). Implementations are registered by <see cref="Name"/>; each environment names its provider.
/// Per-environment settings are the provider's own options, read by environment name.
/// </summary>
public interface IComputeProvider
{
    /// <summary>The name environments use in <c>Environments:{env}:Provider</c>.</summary>
    string Name { get; }

    /// <summary>The steps an operation will report, in order, so progress can show them before they run.</summary>
    IReadOnlyList<string> Plan(ProviderOperation operation);

    /// <summary>
    /// Runs the operation, reporting each planned step through <paramref name="progress"/>.
    /// Throws <see cref="ProviderException"/> with the reason (and the last output lines) when it fails;
    /// cancellation stops whatever the operation started.
    /// </summary>
    Task RunAsync(ProviderOperation operation, IProviderProgress progress, CancellationToken cancellationToken);

    /// <summary>What is actually running for the environment now.</summary>
    Task<EnvironmentObservation> ObserveAsync(EnvironmentTarget environment, CancellationToken cancellationToken);

    /// <summary>
    /// After a crash: adopts what is healthy and belongs to the environment, stops what is orphaned,
    /// and says what it found.
    /// </summary>
    Task<EnvironmentObservation> ReconcileAsync(EnvironmentTarget environment, CancellationToken cancellationToken);
}

/// <summary>The environment an operation acts on: its name and its configured node names.</summary>
public sealed record EnvironmentTarget(string Name, IReadOnlyList<string> Nodes);

public enum InfraVerb
{
    Up,
    Provision,
    Halt,
    Destroy,
}

/// <summary>One verb on one environment; <see cref="Version"/> is set for provision.</summary>
public sealed record ProviderOperation(InfraVerb Verb, EnvironmentTarget Environment, string? Version = null);

public enum StepState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>Receives progress from a running operation. Calls are cheap and never block on I/O.</summary>
public interface IProviderProgress
{
    /// <summary>Step <paramref name="index"/> of the plan changed state, with an optional short detail.</summary>
    void Step(int index, StepState state, string? detail = null);

    /// <summary>A line of output (a program's stdout/stderr, a health probe result) for the run's thread.</summary>
    void Output(string line);
}

/// <summary>A provider failure with a user-facing reason and the last lines of output, if any.</summary>
public class ProviderException(string message, IReadOnlyList<string>? lastOutput = null, Exception? inner = null)
    : Exception(message, inner)
{
    public IReadOnlyList<string> LastOutput { get; } = lastOutput ?? [];
}
