using ChatOps.Bot.Audit;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// A run's one state machine (<see cref="RunStatus"/>): requested, then awaiting confirmation, awaiting
/// approval, pending and running, and one end: succeeded, failed, cancelled, timed out, interrupted,
/// rejected, expired or refused. Every move is made here: a request starts the run at once or asks for a
/// confirmation; an answer recorded by <see cref="DecisionAnswers"/> asks for the approval, starts the
/// run or closes it; an unanswered question expires it; <see cref="RunExecutor"/> runs it to its end.
/// </summary>
internal sealed class WorkflowEngine(
    RunStore runs,
    DecisionStore decisions,
    DecisionAnswers answers,
    Approvers approvers,
    WorkflowRegistry workflows,
    RunKinds kinds,
    EnvironmentCatalog environments,
    RunMessages messages,
    AuditTrail audit,
    RunObservers observers,
    IOptions<WorkflowOptions> options,
    TimeProvider time,
    ILogger<WorkflowEngine> logger) : IHostedService
{
    private readonly RunExecutor _executor = new(runs, workflows, kinds, environments, messages, audit, observers, options.Value, time, logger);
    private readonly WorkflowOptions _options = options.Value;

    /// <summary>Creates the run and either starts it or asks its requester to confirm it.</summary>
    public async Task<RunRequestResult> RequestAsync(RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Planned once, here: the steps travel in the run's record through confirmation and approval to the executor.
        var plan = await workflows.For(request.Arguments).PlanAsync(request.Environment, request.Arguments, cancellationToken);
        var steps = plan.Select(s => new RunStep(s, StepState.Pending)).ToList();
        var newRun = new NewRun(request.Environment.Name, request.Verb, request.Arguments.ToStored(), request.Requester.Id, request.Requester.DisplayName, request.Destination, steps);

        if (request.Risk == RiskTier.None)
        {
            var outcome = await runs.CreateWithLeaseAsync(newRun, _options.LeaseDuration, cancellationToken);
            if (outcome is LeaseOutcome.Acquired acquired)
            {
                await AuditAsync(audit, acquired.Run, "requested", request.Preview, cancellationToken);
                await _executor.StartAsync(acquired.Run, acquired.Token, request.AnswerSlot, cancellationToken);
                return new RunRequestResult.Started(acquired.Run);
            }

            return await RefuseAsync(request, RunRefusal.Of(outcome, kinds, time.GetUtcNow())!, cancellationToken);
        }

        // Someone else's lock refuses before anyone is asked to confirm; starting checks it again.
        if (await runs.FindForeignLockAsync(request.Environment.Name, request.Requester.Id, cancellationToken) is { } held)
        {
            return await RefuseAsync(request, new RunRefusal.Locked(held, time.GetUtcNow()), cancellationToken);
        }

        var run = await runs.CreateAwaitingAsync(newRun, RunStatus.AwaitingConfirmation, cancellationToken);
        await AuditAsync(audit, run, "requested", request.Preview, cancellationToken);
        var decision = await decisions.CreateAsync(run.Id, DecisionKind.Confirm, run.Verb, run.Environment, run.RequesterId, run.RequesterName,
            request.Risk == RiskTier.Approve ? request.Environment.Policy.ApproverRole : null, request.Preview, _options.DecisionTimeout,
            request.Destination, cancellationToken);
        // The prompt is the run's message: answering it edits it into the approval request or the progress.
        await messages.ShowAsync(run.Id, request.Destination, DecisionFormatter.Render(decision, kinds, time.GetUtcNow(), request.Destructive), request.AnswerSlot, cancellationToken);
        return new RunRequestResult.AwaitingConfirmation(run);
    }

    /// <summary>A decision button was pressed: records the answer and moves the run on. A refusal changed nothing.</summary>
    public async Task<DecisionAnswer> AnswerAsync(string verb, long decisionId, Principal who, CancellationToken cancellationToken) =>
        await MoveOnAsync(await answers.PressAsync(verb, decisionId, who, cancellationToken), who, cancellationToken);

    /// <summary>"Type the environment's name to confirm": null when <paramref name="who"/> has no pending confirmation for it here.</summary>
    public async Task<DecisionAnswer?> ConfirmByNameAsync(string environment, Principal who, ChatDestination destination, CancellationToken cancellationToken) =>
        await answers.ConfirmByNameAsync(environment, who, destination, cancellationToken) is { } answer
            ? await MoveOnAsync(answer, who, cancellationToken)
            : null;

    /// <summary>Ends the runs whose confirmation or approval nobody answered in time, and says so on their messages.</summary>
    public async Task ExpireDueAsync(CancellationToken cancellationToken)
    {
        foreach (var decision in await decisions.ExpireDueAsync(cancellationToken))
        {
            await runs.CloseAwaitingAsync(decision.RunId, RunStatus.Expired, "nobody answered in time", cancellationToken);
            await audit.AppendAsync(new AuditEntry("system", "system", "expired", decision.Environment, decision.RunId,
                $"{decision.Kind.ToString().ToLowerInvariant()} of {decision.Verb} requested by {decision.RequesterName}"), cancellationToken);
            var expired = decision with { Status = DecisionStatus.Expired };
            await messages.ShowAsync(decision.RunId, decision.Destination, DecisionFormatter.Render(expired, kinds, time.GetUtcNow()), cancellationToken);
        }
    }

    /// <summary>Stops the run executing on an environment; false when none is running here.</summary>
    public bool Cancel(string environment, string byName) => _executor.Cancel(environment, byName);

    public bool IsActive(long runId) => _executor.IsActive(runId);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>On shutdown, running runs stop as interrupted and release their leases before the host exits.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _executor.StopAllAsync(cancellationToken);

    internal static Task<AuditRecord> AuditAsync(AuditTrail trail, RunRecord run, string action, string detail, CancellationToken cancellationToken) =>
        trail.AppendAsync(new AuditEntry(run.RequesterId, run.RequesterName, action, run.Environment, run.Id,
            $"{run.Verb} {string.Join(' ', run.Arguments.Select(a => $"{a.Key}={a.Value}"))}: {detail}".Trim()), cancellationToken);

    private async Task<RunRequestResult> RefuseAsync(RunRequest request, RunRefusal refusal, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(new AuditEntry(request.Requester.Id, request.Requester.DisplayName, "refused", request.Environment.Name, null,
            $"{request.Verb}: {RunWording.Describe(refusal)}"), cancellationToken);
        return new RunRequestResult.Refused(refusal);
    }

    private async Task<DecisionAnswer> MoveOnAsync(DecisionAnswer answer, Principal who, CancellationToken cancellationToken)
    {
        switch (answer)
        {
            case DecisionAnswer.Refused { Decision: { } decision, Refusal: { AboutWhoAnswered: true } refusal }:
                await audit.AppendAsync(new AuditEntry(who.Id, who.DisplayName, "decision-refused", decision.Environment, decision.RunId,
                    RunWording.Describe(refusal)), cancellationToken);
                break;
            case DecisionAnswer.Recorded { Decision: var answered }:
                await audit.AppendAsync(new AuditEntry(who.Id, who.DisplayName, answered.Status.ToString().ToLowerInvariant(), answered.Environment, answered.RunId,
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
                if (await runs.FindForeignLockAsync(answered.Environment, answered.RequesterId, cancellationToken) is { } held)
                {
                    var locked = RunWording.Describe(new RunRefusal.Locked(held, time.GetUtcNow()));
                    await runs.CloseAwaitingAsync(answered.RunId, RunStatus.Refused, locked, cancellationToken);
                    await ShowAsync(answered, CouldNotStart(answered, locked), cancellationToken);
                    return;
                }

                await runs.SetAwaitingApprovalAsync(answered.RunId, cancellationToken);
                var approval = await decisions.CreateAsync(answered.RunId, DecisionKind.Approve, answered.Verb, answered.Environment, answered.RequesterId,
                    answered.RequesterName, answered.ApproverRole, answered.Preview, _options.DecisionTimeout, answered.Destination, cancellationToken);
                var named = approvers.Mentions(answered.ApproverRole, answered.RequesterId, answered.Destination.Platform);
                await ShowAsync(approval, DecisionFormatter.Render(approval, kinds, time.GetUtcNow(), approvers: named), cancellationToken);
                return;

            case DecisionStatus.Confirmed or DecisionStatus.Approved:
                if (answered.Status == DecisionStatus.Approved)
                {
                    // Part of the run's record: its message, /env history and the deployment feed name the approver.
                    await runs.SetApproverAsync(answered.RunId, answered.AnsweredBy!, cancellationToken);
                }

                if (await StartDecidedAsync(answered.RunId, cancellationToken) is { } blocked)
                {
                    await ShowAsync(answered, CouldNotStart(answered, RunWording.Describe(blocked)), cancellationToken);
                }

                return;

            default:
                await runs.CloseAwaitingAsync(answered.RunId, answered.Status == DecisionStatus.Rejected ? RunStatus.Rejected : RunStatus.Cancelled,
                    $"{answered.Status.ToString().ToLowerInvariant()} by {answered.AnsweredBy}", cancellationToken);
                await ShowAsync(answered, DecisionFormatter.Render(answered, kinds, time.GetUtcNow()), cancellationToken);
                return;
        }
    }

    /// <summary>Takes the lease for a run whose confirmation (and approval) came through, and starts it; the refusal otherwise.</summary>
    private async Task<RunRefusal?> StartDecidedAsync(long runId, CancellationToken cancellationToken)
    {
        var outcome = await runs.LeaseAwaitingAsync(runId, _options.LeaseDuration, cancellationToken);
        if (outcome is LeaseOutcome.Acquired acquired)
        {
            await _executor.StartAsync(acquired.Run, acquired.Token, answerSlot: null, cancellationToken);
            return null;
        }

        var refusal = RunRefusal.Of(outcome, kinds, time.GetUtcNow())!;
        await runs.CloseAwaitingAsync(runId, RunStatus.Refused, RunWording.Describe(refusal), cancellationToken);
        return refusal;
    }

    private OutgoingMessage CouldNotStart(Decision decision, string why) =>
        OutgoingMessage.Plain($"🚫 {RunWording.Capitalize(kinds.Gerund(decision.Verb, decision.Environment))} could not start: {why}");

    private Task ShowAsync(Decision decision, OutgoingMessage message, CancellationToken cancellationToken) =>
        messages.ShowAsync(decision.RunId, decision.Destination, message, cancellationToken);
}
