using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>A provider whose runs do what each test says: succeed, fail, or wait until cancelled.</summary>
internal sealed class FakeProvider : IComputeProvider
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "Fake";

    public Func<IProviderProgress, CancellationToken, Task> Behaviour { get; set; } = (_, _) => Task.CompletedTask;

    public int Runs { get; private set; }

    public Task Entered => _entered.Task;

    public IReadOnlyList<string> Plan(ProviderOperation operation) => ["Step one", "Step two"];

    public async Task RunAsync(ProviderOperation operation, IProviderProgress progress, CancellationToken cancellationToken)
    {
        Runs++;
        progress.Step(0, StepState.Running);
        _entered.TrySetResult();
        await Behaviour(progress, cancellationToken);
        progress.Step(0, StepState.Succeeded);
        progress.Step(1, StepState.Succeeded, "fine");
    }

    /// <summary>What the provider sees of every environment.</summary>
    public EnvironmentObservation Observation { get; set; } = new(ObservedState.Unknown, []);

    public Task<EnvironmentObservation> ObserveAsync(EnvironmentTarget environment, CancellationToken cancellationToken) =>
        Task.FromResult(Observation);

    public Task<EnvironmentObservation> ReconcileAsync(EnvironmentTarget environment, CancellationToken cancellationToken) =>
        ObserveAsync(environment, cancellationToken);
}
