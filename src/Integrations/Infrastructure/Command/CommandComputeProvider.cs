using ChatOps.Integrations.Infrastructure.Processes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.Command;

/// <summary>
/// Runs each verb as a configured program (Terraform, Ansible, a cloud CLI, a script) with an argument
/// list. Output streams to the run's thread, throttled; the exit code decides; a failure carries the
/// last lines; cancel and timeout kill the program's whole process tree.
/// </summary>
internal sealed class CommandComputeProvider(
    IOptionsMonitor<CommandProviderOptions> options,
    ProcessLauncher launcher,
    IHostEnvironment host,
    TimeProvider timeProvider,
    ILogger<CommandComputeProvider> logger) : IComputeProvider
{
    public const string ProviderName = "Command";

    public string Name => ProviderName;

    public IReadOnlyList<string> Plan(ProviderOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return [.. Invocations(operation).Select(i => i.Label)];
        }
        catch (ProviderException ex)
        {
            // The plan is shown before running; the same reason fails the run right after.
            return [ex.Message];
        }
    }

    public async Task RunAsync(ProviderOperation operation, IProviderProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(progress);
        var settings = Settings(operation.Environment.Name);
        var invocations = Invocations(operation);
        for (var i = 0; i < invocations.Count; i++)
        {
            try
            {
                await RunOneAsync(operation, invocations[i], i, settings, progress, cancellationToken);
            }
            catch
            {
                for (var rest = i + 1; rest < invocations.Count; rest++)
                {
                    progress.Step(rest, StepState.Skipped);
                }

                throw;
            }
        }
    }

    public async Task<EnvironmentObservation> ObserveAsync(EnvironmentTarget environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = Settings(environment.Name);
        if (settings.Status is null)
        {
            return new EnvironmentObservation(ObservedState.Unknown, [.. environment.Nodes.Select(n => new NodeObservation(n, NodeHealth.Unknown))]);
        }

        var invocation = CommandInvocations.Build(settings.Status, new ProviderOperation(InfraVerb.Up, environment), host.ContentRootPath, settings.KeepLines)[0];
        var result = await RunProcessAsync(invocation, null, cancellationToken);
        var (state, health) = result.ExitCode switch
        {
            0 => (ObservedState.Up, NodeHealth.Healthy),
            3 => (ObservedState.Halted, NodeHealth.Stopped),
            4 => (ObservedState.Destroyed, NodeHealth.Stopped),
            _ => (ObservedState.Unknown, NodeHealth.Unknown),
        };
        return new EnvironmentObservation(state, [.. environment.Nodes.Select(n => new NodeObservation(n, health))]);
    }

    /// <summary>A command provider owns no long-lived processes, so there is nothing to adopt or stop: it observes.</summary>
    public Task<EnvironmentObservation> ReconcileAsync(EnvironmentTarget environment, CancellationToken cancellationToken) =>
        ObserveAsync(environment, cancellationToken);

    private async Task RunOneAsync(ProviderOperation operation, CommandInvocation invocation, int step, CommandProviderOptions settings, IProviderProgress progress, CancellationToken cancellationToken)
    {
        var environment = operation.Environment.Name;
        var throttle = new OutputThrottle(progress.Output, timeProvider, settings.OutputLinesPerInterval, settings.OutputInterval);
        progress.Step(step, StepState.Running);
        Log.CommandStarting(logger, operation.Verb, environment, invocation.Label);
        ProcessResult result;
        try
        {
            result = await RunProcessAsync(invocation, throttle, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throttle.Flush();
            Log.CommandCancelled(logger, operation.Verb, environment, invocation.Label);
            progress.Step(step, StepState.Failed, "cancelled");
            throw;
        }
        catch (ProviderException ex)
        {
            throttle.Flush();
            Log.CommandCouldNotRun(logger, operation.Verb, environment, invocation.Label, ex);
            progress.Step(step, StepState.Failed, ex.InnerException is ProcessTimedOutException ? "timed out" : "could not run");
            throw;
        }

        throttle.Flush();
        if (!result.Succeeded)
        {
            Log.CommandFailed(logger, operation.Verb, environment, invocation.Label, result.ExitCode);
            progress.Step(step, StepState.Failed, $"exit code {result.ExitCode}");
            throw new ProviderException($"'{invocation.Label}' failed with exit code {result.ExitCode}.", result.LastLines);
        }

        progress.Step(step, StepState.Succeeded);
    }

    private async Task<ProcessResult> RunProcessAsync(CommandInvocation invocation, OutputThrottle? throttle, CancellationToken cancellationToken)
    {
        try
        {
            return await launcher.RunAsync(invocation.Process, invocation.Timeout, throttle is null ? null : line => throttle.Post(line.Text), cancellationToken);
        }
        catch (ProcessException ex)
        {
            throw new ProviderException(ex.Message, ex.LastLines, ex);
        }
    }

    private IReadOnlyList<CommandInvocation> Invocations(ProviderOperation operation)
    {
        var settings = Settings(operation.Environment.Name);
        var spec = settings.For(operation.Verb)
            ?? throw new ProviderException($"Environment '{operation.Environment.Name}' has no command for {operation.Verb.ToString().ToLowerInvariant()} (Environments:{operation.Environment.Name}:Command:{operation.Verb}).");
        return CommandInvocations.Build(spec, operation, host.ContentRootPath, settings.KeepLines);
    }

    private CommandProviderOptions Settings(string environment)
    {
        try
        {
            return options.Get(environment);
        }
        catch (OptionsValidationException ex)
        {
            throw new ProviderException($"The Command settings of '{environment}' are invalid: {ex.Message}", inner: ex);
        }
    }
}
