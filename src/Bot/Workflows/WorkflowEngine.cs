using ChatOps.Bot.Audit;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// A run's one state machine (<see cref="RunStatus"/>): requested, then awaiting confirmation, awaiting
/// approval, pending and running, and one end: succeeded, failed, cancelled, timed out, interrupted,
/// rejected, expired or refused. Every move is made here: a request starts the run at once or asks for a
/// confirmation; an answer recorded by <see cref="DecisionAnswers"/> asks for the approval, starts the
/// run or closes it; an unanswered question expires it; <see cref="RunExecutor"/> runs it to its end.
/// </summary>
public sealed class WorkflowEngine : IHostedService
{
    private readonly RunStore _runs;
    private readonly DecisionStore _decisions;
    private readonly DecisionAnswers _answers;
    private readonly Approvers _approvers;
    private readonly WorkflowRegistry _workflows;
    private readonly RunMessages _messages;
    private readonly AuditTrail _audit;
    private readonly WorkflowOptions _options;
    private readonly TimeProvider _time;
    private readonly RunExecutor _executor;

    public WorkflowEngine(
        RunStore runs,
        DecisionStore decisions,
        DecisionAnswers answers,
        Approvers approvers,
        WorkflowRegistry workflows,
        EnvironmentCatalog environments,
        RunMessages messages,
        AuditTrail audit,
        RunObservers observers,
        IOptions<WorkflowOptions> options,
        TimeProvider time,
        ILogger<WorkflowEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_runs, _decisions, _answers, _approvers, _workflows, _messages, _audit, _options, _time) =
            (runs, decisions, answers, approvers, workflows, messages, audit, options.Value, time);
        _executor = new RunExecutor(runs, workflows, environments, messages, audit, observers, options.Value, time, logger);
    }

    /// <summary>Creates the run and either starts it or asks its requester to confirm it.</summary>
    public async Task<RunRequestResult> RequestAsync(RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Planned once, here: the steps travel in the run's record through confirmation and approval to the executor.
        var plan = await _workflows.For(request.Verb).PlanAsync(request.Environment, request.Verb, request.Arguments, cancellationToken);
        var steps = plan.Select(s => new RunStep(s, Integrations.Infrastructure.StepState.Pending)).ToList();
        var newRun = new NewRun(request.Environment.Name, request.Verb, request.Arguments, request.Requester.Id, request.Requester.DisplayName, request.Destination, steps);

        if (request.Risk == RiskTier.None)
        {
            var outcome = await _runs.CreateWithLeaseAsync(newRun, _options.LeaseDuration, cancellationToken);
            if (outcome is LeaseOutcome.Acquired acquired)
            {
                await AuditAsync(_audit, acquired.Run, "requested", request.Preview, cancellationToken);
                await _executor.StartAsync(acquired.Run, acquired.Token, cancellationToken);
                return new RunRequestResult.Started(acquired.Run);
            }

            return await RefuseAsync(request, RunRefusal.Of(outcome, _time.GetUtcNow())!, cancellationToken);
        }

        // Someone else's lock refuses before anyone is asked to confirm; starting checks it again.
        if (await _runs.FindForeignLockAsync(request.Environment.Name, request.Requester.Id, cancellationToken) is { } held)
        {
            return await RefuseAsync(request, new RunRefusal.Locked(held, _time.GetUtcNow()), cancellationToken);
        }

        var run = await _runs.CreateAwaitingAsync(newRun, RunStatus.AwaitingConfirmation, cancellationToken);
        await AuditAsync(_audit, run, "requested", request.Preview, cancellationToken);
        var decision = await _decisions.CreateAsync(run.Id, DecisionKind.Confirm, run.Verb, run.Environment, run.RequesterId, run.RequesterName,
            request.Risk == RiskTier.Approve ? request.Environment.Policy.ApproverRole : null, request.Preview, _options.DecisionTimeout,
            request.Destination, cancellationToken);
        // The prompt is the run's message: answering it edits it into the approval request or the progress.
        await _messages.ShowAsync(run.Id, request.Destination, DecisionFormatter.Render(decision, _time.GetUtcNow(), request.Destructive), cancellationToken);
        return new RunRequestResult.AwaitingConfirmation(run);
    }

    /// <summary>A decision button was pressed: records the answer and moves the run on. A refusal changed nothing.</summary>
    public async Task<DecisionAnswer> AnswerAsync(string verb, long decisionId, Principal who, CancellationToken cancellationToken) =>
        await MoveOnAsync(await _answers.PressAsync(verb, decisionId, who, cancellationToken), who, cancellationToken);

    /// <summary>"Type the environment's name to confirm": null when <paramref name="who"/> has no pending confirmation for it here.</summary>
    public async Task<DecisionAnswer?> ConfirmByNameAsync(string environment, Principal who, ChatDestination destination, CancellationToken cancellationToken) =>
        await _answers.ConfirmByNameAsync(environment, who, destination, cancellationToken) is { } answer
            ? await MoveOnAsync(answer, who, cancellationToken)
            : null;

    /// <summary>Ends the runs whose confirmation or approval nobody answered in time, and says so on their messages.</summary>
    public async Task ExpireDueAsync(CancellationToken cancellationToken)
    {
        foreach (var decision in await _decisions.ExpireDueAsync(cancellationToken))
        {
            await _runs.CloseAwaitingAsync(decision.RunId, RunStatus.Expired, "nobody answered in time", cancellationToken);
            await _audit.AppendAsync(new AuditEntry("system", "system", "expired", decision.Environment, decision.RunId,
                $"{decision.Kind.ToString().ToLowerInvariant()} of {decision.Verb} requested by {decision.RequesterName}"), cancellationToken);
            var expired = decision with { Status = DecisionStatus.Expired };
            await _messages.ShowAsync(decision.RunId, decision.Destination, DecisionFormatter.Render(expired, _time.GetUtcNow()), cancellationToken);
        }
    }

    /// <summary>Stops the run executing on an environment; false when none is running here.</summary>
    public bool Cancel(string environment, string byName) => _executor.Cancel(environment, byName);

    public bool IsActive(long runId) => _executor.IsActive(runId);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>On shutdown, running runs stop as interrupted and release their leases before the host exits.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _executor.StopAllAsync(cancellationToken);

    internal static Task<AuditRecord> AuditAsync(AuditTrail audit, RunRecord run, string action, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(run.RequesterId, run.RequesterName, action, run.Environment, run.Id,
            $"{run.Verb} {string.Join(' ', run.Arguments.Select(a => $"{a.Key}={a.Value}"))}: {detail}".Trim()), cancellationToken);

    private async Task<RunRequestResult> RefuseAsync(RunRequest request, RunRefusal refusal, CancellationToken cancellationToken)
    {
        await _audit.AppendAsync(new AuditEntry(request.Requester.Id, request.Requester.DisplayName, "refused", request.Environment.Name, null,
            $"{request.Verb}: {RunWording.Describe(refusal)}"), cancellationToken);
        return new RunRequestResult.Refused(refusal);
    }

    private async Task<DecisionAnswer> MoveOnAsync(DecisionAnswer answer, Principal who, CancellationToken cancellationToken)
    {
        switch (answer)
        {
            case DecisionAnswer.Refused { Decision: { } decision, Refusal: { AboutWhoAnswered: true } refusal }:
                await _audit.AppendAsync(new AuditEntry(who.Id, who.DisplayName, "decision-refused", decision.Environment, decision.RunId,
                    RunWording.Describe(refusal)), cancellationToken);
                break;
            case DecisionAnswer.Recorded { Decision: var answered }:
                await _audit.AppendAsync(new AuditEntry(who.Id, who.DisplayName, answered.Status.ToString().ToLowerInvariant(), answered.Environment, answered.RunId,
                    $"{answered.Kind.ToString().ToLowerInvariant()} {answered.Verb} requested by {answered.RequesterName}"), cancellationToken);
                await MoveOnAsync(answered, cancellationToken);
                break;
        }

        return answer;
    }

    private async Task MoveOnAsync(Decision answered, CancellationToken cancellationToken)
    {
        switch (answered.Status)
        {
            case DecisionStatus.Confirmed when answered.ApproverRole is not null:
                // A lock taken since the request refuses now, before anyone is asked to approve.
                if (await _runs.FindForeignLockAsync(answered.Environment, answered.RequesterId, cancellationToken) is { } held)
                {
                    var locked = RunWording.Describe(new RunRefusal.Locked(held, _time.GetUtcNow()));
                    await _runs.CloseAwaitingAsync(answered.RunId, RunStatus.Refused, locked, cancellationToken);
                    await ShowAsync(answered, CouldNotStart(answered, locked), cancellationToken);
                    return;
                }

                await _runs.SetAwaitingApprovalAsync(answered.RunId, cancellationToken);
                var approval = await _decisions.CreateAsync(answered.RunId, DecisionKind.Approve, answered.Verb, answered.Environment, answered.RequesterId,
                    answered.RequesterName, answered.ApproverRole, answered.Preview, _options.DecisionTimeout, answered.Destination, cancellationToken);
                var named = _approvers.Mentions(answered.ApproverRole, answered.RequesterId, answered.Destination.Platform);
                await ShowAsync(approval, DecisionFormatter.Render(approval, _time.GetUtcNow(), approvers: named), cancellationToken);
                return;

            case DecisionStatus.Confirmed or DecisionStatus.Approved:
                if (answered.Status == DecisionStatus.Approved)
                {
                    // Part of the run's record: its message, /env history and the deployment feed name the approver.
                    await _runs.SetApproverAsync(answered.RunId, answered.AnsweredBy!, cancellationToken);
                }

                if (await StartDecidedAsync(answered.RunId, cancellationToken) is { } blocked)
                {
                    await ShowAsync(answered, CouldNotStart(answered, RunWording.Describe(blocked)), cancellationToken);
                }

                return;

            default:
                await _runs.CloseAwaitingAsync(answered.RunId, answered.Status == DecisionStatus.Rejected ? RunStatus.Rejected : RunStatus.Cancelled,
                    $"{answered.Status.ToString().ToLowerInvariant()} by {answered.AnsweredBy}", cancellationToken);
                await ShowAsync(answered, DecisionFormatter.Render(answered, _time.GetUtcNow()), cancellationToken);
                return;
        }
    }

    /// <summary>Takes the lease for a run whose confirmation (and approval) came through, and starts it; the refusal otherwise.</summary>
    private async Task<RunRefusal?> StartDecidedAsync(long runId, CancellationToken cancellationToken)
    {
        var outcome = await _runs.LeaseAwaitingAsync(runId, _options.LeaseDuration, cancellationToken);
        if (outcome is LeaseOutcome.Acquired acquired)
        {
            await _executor.StartAsync(acquired.Run, acquired.Token, cancellationToken);
            return null;
        }

        var refusal = RunRefusal.Of(outcome, _time.GetUtcNow())!;
        await _runs.CloseAwaitingAsync(runId, RunStatus.Refused, RunWording.Describe(refusal), cancellationToken);
        return refusal;
    }

    private static OutgoingMessage CouldNotStart(Decision decision, string why) =>
        OutgoingMessage.Plain($"🚫 {RunWording.Capitalize(RunWording.Gerund(decision.Verb, decision.Environment))} could not start: {why}");

    private Task ShowAsync(Decision decision, OutgoingMessage message, CancellationToken cancellationToken) =>
        _messages.ShowAsync(decision.RunId, decision.Destination, message, cancellationToken);
}
