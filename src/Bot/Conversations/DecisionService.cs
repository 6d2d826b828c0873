using ChatOps.Bot.Audit;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// Answers confirmations and approvals, by button or by typing the environment's name. Only the
/// requester may confirm; only someone else holding the approver role may approve; each decision is
/// answered once, and a late, repeated or foreign press changes nothing and says why.
/// </summary>
public sealed class DecisionService(
    DecisionStore decisions,
    RunStore runs,
    WorkflowEngine engine,
    AuditTrail audit,
    RunMessages messages,
    Approvers approvers,
    IOptions<WorkflowOptions> options,
    TimeProvider time)
{
    /// <summary>Handles a decision button; returns the reply for the presser, or null when the message itself says it all.</summary>
    public async Task<string?> PressAsync(string verb, long decisionId, Principal who, CancellationToken cancellationToken)
    {
        var decision = await decisions.GetAsync(decisionId, cancellationToken);
        if (decision is null)
        {
            return "That button no longer does anything.";
        }

        var answer = (verb, decision.Kind) switch
        {
            ("confirm", DecisionKind.Confirm) => DecisionStatus.Confirmed,
            ("cancel", DecisionKind.Confirm) => DecisionStatus.Cancelled,
            ("approve", DecisionKind.Approve) => DecisionStatus.Approved,
            ("reject", DecisionKind.Approve) => DecisionStatus.Rejected,
            _ => (DecisionStatus?)null,
        };
        if (answer is null)
        {
            return "That button does not belong to this request.";
        }

        return await AnswerAsync(decision, answer.Value, who, cancellationToken);
    }

    /// <summary>"Type the environment's name to confirm": true when it answered a pending confirmation.</summary>
    public async Task<(bool Handled, string? Reply)> ConfirmByNameAsync(string environment, Principal who, ChatDestination destination, CancellationToken cancellationToken)
    {
        var decision = await decisions.FindPendingConfirmationAsync(who.Id, destination, environment, cancellationToken);
        return decision is null ? (false, null) : (true, await AnswerAsync(decision, DecisionStatus.Confirmed, who, cancellationToken));
    }

    private async Task<string?> AnswerAsync(Decision decision, DecisionStatus answer, Principal who, CancellationToken cancellationToken)
    {
        if (decision.Status != DecisionStatus.Pending)
        {
            return $"This request was already {decision.Status.ToString().ToLowerInvariant()}" +
                   (decision.AnsweredBy is null ? "" : $" by {decision.AnsweredBy}") + "; nothing changed.";
        }

        if (decision.ExpiresAt <= time.GetUtcNow())
        {
            return $"This request expired {RunWording.Duration(time.GetUtcNow() - decision.ExpiresAt)} ago; nothing was done. Ask again if it is still needed.";
        }

        if (Refusal(decision, who) is { } refusal)
        {
            await audit.AppendAsync(new AuditEntry(who.Id, who.DisplayName, "decision-refused", decision.Environment, decision.RunId, refusal), cancellationToken);
            return refusal;
        }

        if (!await decisions.AnswerAsync(decision.Id, answer, who.DisplayName, cancellationToken))
        {
            var now = await decisions.GetAsync(decision.Id, cancellationToken);
            return $"This request was already {now!.Status.ToString().ToLowerInvariant()}; nothing changed.";
        }

        var answered = decision with { Status = answer, AnsweredBy = who.DisplayName };
        await audit.AppendAsync(new AuditEntry(who.Id, who.DisplayName, answer.ToString().ToLowerInvariant(), decision.Environment, decision.RunId,
            $"{decision.Kind.ToString().ToLowerInvariant()} {decision.Verb} requested by {decision.RequesterName}"), cancellationToken);

        switch (answer)
        {
            case DecisionStatus.Confirmed when decision.ApproverRole is not null:
                // A lock taken since the request refuses now, before anyone is asked to approve.
                if (await runs.FindForeignLockAsync(decision.Environment, decision.RequesterId, cancellationToken) is { } held)
                {
                    var locked = RunWording.Locked(held, time.GetUtcNow());
                    await runs.CloseAwaitingAsync(decision.RunId, RunStatus.Refused, locked, cancellationToken);
                    await EditAsync(answered, OutgoingMessage.Plain($"🚫 {RunWording.Capitalize(RunWording.Gerund(decision.Verb, decision.Environment))} could not start: {locked}"), cancellationToken);
                    return null;
                }

                await runs.SetAwaitingApprovalAsync(decision.RunId, cancellationToken);
                var approval = await decisions.CreateAsync(decision.RunId, DecisionKind.Approve, decision.Verb, decision.Environment, decision.RequesterId,
                    decision.RequesterName, decision.ApproverRole, decision.Preview, options.Value.DecisionTimeout, decision.Destination, cancellationToken);
                var named = approvers.Mentions(decision.ApproverRole, decision.RequesterId, decision.Destination.Platform);
                await EditAsync(approval, DecisionFormatter.Render(approval, time.GetUtcNow(), approvers: named), cancellationToken);
                return null;

            case DecisionStatus.Confirmed or DecisionStatus.Approved:
                if (answer == DecisionStatus.Approved)
                {
                    // Part of the run's record: its message, /env history and the deployment feed name the approver.
                    await runs.SetApproverAsync(decision.RunId, who.DisplayName, cancellationToken);
                }

                var blocked = await engine.StartDecidedAsync(decision.RunId, cancellationToken);
                if (blocked is not null)
                {
                    await EditAsync(answered, OutgoingMessage.Plain($"🚫 {RunWording.Capitalize(RunWording.Gerund(decision.Verb, decision.Environment))} could not start: {blocked}"), cancellationToken);
                }

                return null;

            default:
                await runs.CloseAwaitingAsync(decision.RunId, answer == DecisionStatus.Rejected ? RunStatus.Rejected : RunStatus.Cancelled,
                    $"{answer.ToString().ToLowerInvariant()} by {who.DisplayName}", cancellationToken);
                await EditAsync(answered, DecisionFormatter.Render(answered, time.GetUtcNow()), cancellationToken);
                return null;
        }
    }

    private static string? Refusal(Decision decision, Principal who) => decision.Kind switch
    {
        DecisionKind.Confirm when !who.Is(decision.RequesterId) => $"Only {decision.RequesterName}, who asked, can confirm or cancel this request.",
        DecisionKind.Approve when who.Is(decision.RequesterId) => "You cannot approve your own request: another member of " +
                                                                    $"*{decision.ApproverRole}* must.",
        DecisionKind.Approve when !who.HasRole(decision.ApproverRole) => $"Approving needs the *{decision.ApproverRole}* role, which you do not have.",
        _ => null,
    };

    private Task EditAsync(Decision decision, OutgoingMessage message, CancellationToken cancellationToken) =>
        messages.ShowAsync(decision.RunId, decision.Destination, message, cancellationToken);
}
