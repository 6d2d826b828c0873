using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// Records answers to confirmations and approvals, by button or by typing the environment's name. Only the
/// requester may confirm; only someone else holding the approver role may approve; each decision is answered
/// once, and a late, repeated or foreign answer is refused with the reason. What an answer does to its run is
/// the run's business (<c>Workflows</c>), not this one's.
/// </summary>
internal sealed class DecisionAnswers(DecisionStore decisions, TimeProvider time)
{
    /// <summary>Answers with a decision button (<c>confirm</c>, <c>cancel</c>, <c>approve</c>, <c>reject</c>).</summary>
    public async Task<DecisionAnswer> PressAsync(string verb, long decisionId, Principal who, CancellationToken cancellationToken)
    {
        var decision = await decisions.GetAsync(decisionId, cancellationToken);
        if (decision is null)
        {
            return new DecisionAnswer.Refused(null, new DecisionRefusal.Unknown());
        }

        var answer = (verb, decision.Kind) switch
        {
            ("confirm", DecisionKind.Confirm) => DecisionStatus.Confirmed,
            ("cancel", DecisionKind.Confirm) => DecisionStatus.Cancelled,
            ("approve", DecisionKind.Approve) => DecisionStatus.Approved,
            ("reject", DecisionKind.Approve) => DecisionStatus.Rejected,
            _ => (DecisionStatus?)null,
        };
        return answer is null
            ? new DecisionAnswer.Refused(decision, new DecisionRefusal.NotThisRequest())
            : await AnswerAsync(decision, answer.Value, who, cancellationToken);
    }

    /// <summary>"Type the environment's name to confirm": null when <paramref name="who"/> has no pending confirmation for it here.</summary>
    public async Task<DecisionAnswer?> ConfirmByNameAsync(string environment, Principal who, ChatDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        var decision = await decisions.FindPendingConfirmationAsync(who.Id, destination, environment, cancellationToken);
        return decision is null ? null : await AnswerAsync(decision, DecisionStatus.Confirmed, who, cancellationToken);
    }

    private async Task<DecisionAnswer> AnswerAsync(Decision decision, DecisionStatus answer, Principal who, CancellationToken cancellationToken)
    {
        if (decision.Status != DecisionStatus.Pending)
        {
            return new DecisionAnswer.Refused(decision, new DecisionRefusal.AlreadyAnswered(decision.Status, decision.AnsweredBy));
        }

        var now = time.GetUtcNow();
        if (decision.ExpiresAt <= now)
        {
            return new DecisionAnswer.Refused(decision, new DecisionRefusal.Expired(now - decision.ExpiresAt));
        }

        if (WhoMayNot(decision, who) is { } refusal)
        {
            return new DecisionAnswer.Refused(decision, refusal);
        }

        if (!await decisions.AnswerAsync(decision.Id, answer, who.DisplayName, cancellationToken))
        {
            var won = await decisions.GetAsync(decision.Id, cancellationToken);
            return new DecisionAnswer.Refused(decision, new DecisionRefusal.AlreadyAnswered(won!.Status, null));
        }

        return new DecisionAnswer.Recorded(decision with { Status = answer, AnsweredBy = who.DisplayName });
    }

    private static DecisionRefusal? WhoMayNot(Decision decision, Principal who) => decision.Kind switch
    {
        DecisionKind.Confirm when !who.Is(decision.RequesterId) => new DecisionRefusal.NotRequester(decision.RequesterName),
        DecisionKind.Approve when who.Is(decision.RequesterId) => new DecisionRefusal.OwnRequest(decision.ApproverRole!),
        DecisionKind.Approve when !who.HasRole(decision.ApproverRole) => new DecisionRefusal.MissingRole(decision.ApproverRole!),
        _ => null,
    };
}
