using System.Collections.Concurrent;
using ChatOps.Bot.Audit;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// Starts runs (at once, or after a confirmation and approval), executes them one per environment
/// under a lease, shows their progress in one edited message, and cancels them on request,
/// timeout or shutdown.
/// </summary>
public sealed partial class WorkflowEngine(
    RunStore runs,
    DecisionStore decisions,
    WorkflowRegistry workflows,
    EnvironmentCatalog environments,
    RunMessages messages,
    AuditTrail audit,
    RunObservers observers,
    IOptions<WorkflowOptions> options,
    TimeProvider time,
    ILogger<WorkflowEngine> logger) : IHostedService
{
    private readonly ConcurrentDictionary<long, ActiveRun> _active = new();
    private WorkflowOptions Options => options.Value;

    /// <summary>
    /// Creates the run and either starts it or asks for confirmation. Returns a refusal to show the
    /// requester, or null when the run's own message was queued.
    /// </summary>
    public async Task<string?> RequestAsync(RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = await workflows.For(request.Arguments.Kind).PlanAsync(request.Environment, request.Arguments, cancellationToken);
        var steps = plan.Select(s => new RunStep(s, StepState.Pending)).ToList();
        var newRun = new NewRun(request.Environment.Name, request.Verb, request.Arguments.ToStored(), request.Requester.Id, request.Requester.DisplayName, request.Destination, steps);

        if (request.Risk == RiskTier.None)
        {
            var outcome = await runs.CreateWithLeaseAsync(newRun, Options.LeaseDuration, cancellationToken);
            if (outcome is LeaseOutcome.Acquired acquired)
            {
                await AuditAsync(acquired.Run, "requested", request.Preview, cancellationToken);
                await StartAsync(acquired.Run, acquired.Token, cancellationToken);
                return null;
            }

            var refusal = Refusal(outcome);
            await audit.AppendAsync(new AuditEntry(request.Requester.Id, request.Requester.DisplayName, "refused", request.Environment.Name, null,
                $"{request.Verb}: {refusal}"), cancellationToken);
            return refusal;
        }

        // Someone else's lock refuses before anyone is asked to confirm; starting checks it again.
        if (await runs.FindForeignLockAsync(request.Environment.Name, request.Requester.Id, cancellationToken) is { } held)
        {
            var refusal = RunWording.Locked(held, time.GetUtcNow());
            await audit.AppendAsync(new AuditEntry(request.Requester.Id, request.Requester.DisplayName, "refused", request.Environment.Name, null,
                $"{request.Verb}: {refusal}"), cancellationToken);
            return refusal;
        }

        var run = await runs.CreateAwaitingAsync(newRun, RunStatus.AwaitingConfirmation, cancellationToken);
        await AuditAsync(run, "requested", request.Preview, cancellationToken);
        var decision = await decisions.CreateAsync(run.Id, DecisionKind.Confirm, run.Verb, run.Environment, run.RequesterId, run.RequesterName,
            request.Risk == RiskTier.Approve ? request.Environment.Policy.ApproverRole : null, request.Preview, Options.DecisionTimeout,
            request.Destination, cancellationToken);
        // The prompt is the run's message: answering it edits it into the approval request or the progress.
        await messages.ShowAsync(run.Id, request.Destination, DecisionFormatter.Render(decision, time.GetUtcNow(), request.Destructive), cancellationToken);
        return null;
    }

    /// <summary>Takes the lease for a run whose confirmation (and approval) came through, and starts it.</summary>
    public async Task<string?> StartDecidedAsync(long runId, CancellationToken cancellationToken)
    {
        var outcome = await runs.LeaseAwaitingAsync(runId, Options.LeaseDuration, cancellationToken);
        if (outcome is LeaseOutcome.Acquired acquired)
        {
            await StartAsync(acquired.Run, acquired.Token, cancellationToken);
            return null;
        }

        var refusal = Refusal(outcome);
        await runs.CloseAwaitingAsync(runId, RunStatus.Refused, refusal, cancellationToken);
        return refusal;
    }

    /// <summary>Stops the run executing on an environment; false when none is running here.</summary>
    public bool Cancel(string environment, string byName)
    {
        var active = _active.Values.FirstOrDefault(a => a.Environment == environment);
        active?.RequestStop(StopKind.Cancelled, $"cancelled by {byName}");
        return active is not null;
    }

    public bool IsActive(long runId) => _active.ContainsKey(runId);

    private async Task StartAsync(RunRecord run, long token, CancellationToken cancellationToken)
    {
        // Posted the first time, or the confirmation prompt edited into progress.
        await messages.ShowAsync(run.Id, run.Destination, ProgressFormatter.Render(run, time.GetUtcNow()), cancellationToken);

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
        var arguments = RunArguments.Restore(run.Verb, run.Arguments) ?? throw new InvalidOperationException($"Run {run.Id} is a '{run.Verb}', which no workflow runs.");
        var workflow = workflows.For(arguments.Kind);
        var progress = new RunProgress(run.Steps, time, Options.OutputTailLines);
        using var timeout = new CancellationTokenSource(Options.RunTimeout, time);
        using var onTimeout = timeout.Token.Register(() => active.RequestStop(StopKind.TimedOut, $"stopped after {RunWording.Duration(Options.RunTimeout)}"));

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
        await EditAsync(finished, ProgressFormatter.Render(finished, time.GetUtcNow()), CancellationToken.None);
        await AuditAsync(finished, status.ToWire(), result, CancellationToken.None);
        Log.RunFinished(logger, run.Id, status.ToWire(), result);
        await observers.NotifyAsync(finished, CancellationToken.None);
    }

    /// <summary>While a run executes: save progress, edit its message, post output to its thread, renew the lease.</summary>
    private async Task ReportAsync(RunRecord run, long token, RunProgress progress, ActiveRun active, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.ProgressInterval, time);
        var lastRenewal = time.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!await ReportOnceAsync(run, token, progress, active, renew: time.GetUtcNow() - lastRenewal >= Options.LeaseDuration / 3, cancellationToken))
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

                if (time.GetUtcNow() - lastRenewal >= Options.LeaseDuration / 3)
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
        await EditAsync(current, ProgressFormatter.Render(current, time.GetUtcNow()), cancellationToken);
        await PostOutputAsync(run, progress, active, cancellationToken);
        return !renew || await runs.RenewLeaseAsync(run.Environment, token, Options.LeaseDuration, cancellationToken);
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
        audit.AppendAsync(new AuditEntry(run.RequesterId, run.RequesterName, action, run.Environment, run.Id,
            $"{run.Verb} {string.Join(' ', run.Arguments.Select(a => $"{a.Key}={a.Value}"))}: {detail}".Trim()), cancellationToken);

    private string Refusal(LeaseOutcome outcome) => outcome switch
    {
        LeaseOutcome.Busy busy => RunWording.Busy(busy.Lease, time.GetUtcNow()),
        LeaseOutcome.Locked locked => RunWording.Locked(locked.Lock, time.GetUtcNow()),
        LeaseOutcome.NotStartable not => not.Reason,
        _ => "The run could not start.",
    };

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>On shutdown, running runs stop as interrupted and release their leases before the host exits.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var active in _active.Values)
        {
            active.RequestStop(StopKind.Shutdown, "the bot was shut down");
        }

        await Task.WhenAll(_active.Values.Select(a => a.Completion)).WaitAsync(cancellationToken);
    }
}
