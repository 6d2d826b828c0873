using System.Collections.Concurrent;
using ChatOps.Bot.Audit;
using ChatOps.Bot.Environments;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// Executes runs that hold their environment's lease, one per environment: runs the planned steps, shows
/// the progress in the run's one message, renews the lease, and records how the run ended (succeeded,
/// failed, cancelled, timed out, interrupted by a shutdown).
/// </summary>
internal sealed class RunExecutor(
    RunStore runs,
    WorkflowRegistry workflows,
    RunKinds kinds,
    EnvironmentCatalog environments,
    RunMessages messages,
    AuditTrail audit,
    RunObservers observers,
    WorkflowOptions options,
    TimeProvider time,
    ILogger logger)
{
    private readonly ConcurrentDictionary<long, ActiveRun> _active = new();

    /// <summary>Stops the run executing on an environment; false when none is running here.</summary>
    public bool Cancel(string environment, string byName)
    {
        var active = _active.Values.FirstOrDefault(a => a.Environment == environment);
        active?.RequestStop(StopKind.Cancelled, $"cancelled by {byName}");
        return active is not null;
    }

    public bool IsActive(long runId) => _active.ContainsKey(runId);

    /// <summary>Running runs stop as interrupted and release their leases.</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        foreach (var active in _active.Values)
        {
            active.RequestStop(StopKind.Shutdown, "the bot was shut down");
        }

        await Task.WhenAll(_active.Values.Select(a => a.Completion)).WaitAsync(cancellationToken);
    }

    /// <summary>Shows the run's progress and starts executing it in the background; <paramref name="token"/> is its lease's fencing token.</summary>
    public async Task StartAsync(RunRecord run, long token, string? answerSlot, CancellationToken cancellationToken)
    {
        // Posted the first time (in the request's answer slot, when it came with one), or the confirmation prompt edited into progress.
        await messages.ShowAsync(run.Id, run.Destination, ProgressFormatter.Render(run, kinds, time.GetUtcNow()), answerSlot, cancellationToken);

        var cancellation = new CancellationTokenSource();
        var active = new ActiveRun(run.Id, run.Environment, cancellation);
        _active[run.Id] = active;
        // Executes in the background: the request that started it returns as soon as the message is queued.
        active.Completion = Task.Run(async () =>
        {
            try
            {
                await ExecuteAsync(run, token, active);
            }
            finally
            {
                _active.TryRemove(run.Id, out _);
                active.Finish();
            }
        }, CancellationToken.None);
    }

    private async Task ExecuteAsync(RunRecord run, long token, ActiveRun active)
    {
        var environment = environments.Find(run.Environment)!;
        var arguments = kinds.Restore(run.Verb, run.Arguments) ?? throw new InvalidOperationException($"Run {run.Id} is a '{run.Verb}', which no workflow runs.");
        var workflow = workflows.For(arguments);
        var progress = new RunProgress(run.Steps, time, options.OutputTailLines);
        using var timeout = new CancellationTokenSource(options.RunTimeout, time);
        using var onTimeout = timeout.Token.Register(() => active.RequestStop(StopKind.TimedOut, $"stopped after {RunWording.Duration(options.RunTimeout)}"));

        run = run with { Status = RunStatus.Running, StartedAt = time.GetUtcNow() };
        await runs.SaveProgressAsync(run.Id, token, RunStatus.Running, run.Steps, [], CancellationToken.None);
        Log.RunStarted(logger, run.Id, run.Verb, run.Environment, run.RequesterName);
        await AuditAsync(run, "started", $"fencing token {token}", CancellationToken.None);

        using var reporting = new CancellationTokenSource();
        var reporter = ReportAsync(run, token, progress, active, reporting.Token);
        RunStatus status;
        string result;
        try
        {
            await workflow.RunAsync(environment, arguments, progress, active.Token);
            (status, result) = (RunStatus.Succeeded, "done");
        }
        catch (OperationCanceledException) when (active.Token.IsCancellationRequested)
        {
            status = active.Stop switch
            {
                StopKind.Cancelled => RunStatus.Cancelled,
                StopKind.TimedOut => RunStatus.TimedOut,
                StopKind.Shutdown => RunStatus.Interrupted,
                _ => RunStatus.Failed,
            };
            result = active.StopReason ?? "stopped";
            progress.FailRunningStep(result);
        }
        catch (ProviderException e)
        {
            (status, result) = (RunStatus.Failed, e.Message);
            progress.FailRunningStep(e.Message);
            foreach (var line in e.LastOutput)
            {
                progress.Output(line);
            }
        }
#pragma warning disable CA1031 // The run's edge: whatever went wrong is recorded on the run and the lease released.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.RunCrashed(logger, run.Id, e);
            (status, result) = (RunStatus.Failed, $"unexpected error: {e.Message}");
            progress.FailRunningStep("unexpected error");
        }

        await reporting.CancelAsync();
        await reporter;

        // Finishing must happen even while the host is stopping, so it does not take a token.
        var (_, steps, tail) = progress.Snapshot();
        await runs.FinishAsync(run.Id, token, status, result, steps, tail, CancellationToken.None);
        var finished = (await runs.GetAsync(run.Id, CancellationToken.None))!;
        await PostOutputAsync(finished, progress, active, CancellationToken.None);
        await EditAsync(finished, ProgressFormatter.Render(finished, kinds, time.GetUtcNow()), CancellationToken.None);
        await AuditAsync(finished, status.ToWire(), result, CancellationToken.None);
        Log.RunFinished(logger, run.Id, status.ToWire(), result);
        await observers.NotifyAsync(finished, CancellationToken.None);
    }

    /// <summary>While a run executes: save progress, edit its message, post output to its thread, renew the lease.</summary>
    private async Task ReportAsync(RunRecord run, long token, RunProgress progress, ActiveRun active, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.ProgressInterval, time);
        var lastRenewal = time.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!await ReportOnceAsync(run, token, progress, active, renew: time.GetUtcNow() - lastRenewal >= options.LeaseDuration / 3, cancellationToken))
                    {
                        Log.LeaseLost(logger, run.Id, run.Environment);
                        active.RequestStop(StopKind.LeaseLost, "lost its lease to another run");
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Reporting must never take the run down with it; the next tick tries again.
                    Log.MessageFailed(logger, run.Id, e);
                }

                if (time.GetUtcNow() - lastRenewal >= options.LeaseDuration / 3)
                {
                    lastRenewal = time.GetUtcNow();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run ended; the executor writes the final state.
        }
    }

    /// <summary>One report; false when the run no longer holds its lease.</summary>
    private async Task<bool> ReportOnceAsync(RunRecord run, long token, RunProgress progress, ActiveRun active, bool renew, CancellationToken cancellationToken)
    {
        var (_, steps, tail) = progress.Snapshot();
        if (!await runs.SaveProgressAsync(run.Id, token, RunStatus.Running, steps, tail, cancellationToken))
        {
            return false;
        }

        var current = run with { Steps = steps };
        await EditAsync(current, ProgressFormatter.Render(current, kinds, time.GetUtcNow()), cancellationToken);
        await PostOutputAsync(run, progress, active, cancellationToken);
        return !renew || await runs.RenewLeaseAsync(run.Environment, token, options.LeaseDuration, cancellationToken);
    }

    private async Task PostOutputAsync(RunRecord run, RunProgress progress, ActiveRun active, CancellationToken cancellationToken)
    {
        var lines = progress.TakeUnsent();
        if (lines.Count == 0)
        {
            return;
        }

        try
        {
            await messages.PostOutputAsync(run.Id, active.NextOutputChunk(), run.Destination, lines, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The run ended while the lines were being queued; the final flush queues them.
            progress.ReturnUnsent(lines);
            throw;
        }
        catch (Exception e)
        {
            // The state store refused the write: the lines stay in the run's output tail; the thread just misses them.
            Log.MessageFailed(logger, run.Id, e);
        }
    }

    private async Task EditAsync(RunRecord run, OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await messages.ShowAsync(run.Id, run.Destination, message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed write must not stop the run; the next edit carries the whole state again.
            Log.MessageFailed(logger, run.Id, e);
        }
    }

    private Task<AuditRecord> AuditAsync(RunRecord run, string action, string detail, CancellationToken cancellationToken) =>
        WorkflowEngine.AuditAsync(audit, run, action, detail, cancellationToken);
}
