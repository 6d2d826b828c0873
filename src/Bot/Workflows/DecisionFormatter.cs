using ChatOps.Bot.Conversations;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Workflows;

/// <summary>Renders a confirmation or approval request, and how it was answered. Pure.</summary>
internal static class DecisionFormatter
{
    /// <param name="decision">The request and how it was answered.</param>
    /// <param name="kinds">How a run of its verb is spoken of.</param>
    /// <param name="now">For the time left.</param>
    /// <param name="destructive">False for a run that brings things back, whose Confirm is not styled as dangerous.</param>
    /// <param name="approvers">For an approval request: who can approve, as the platform mentions them.</param>
    public static OutgoingMessage Render(Decision decision, RunKinds kinds, DateTimeOffset now, bool destructive = true, IReadOnlyList<string>? approvers = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(kinds);
        var doing = kinds.Gerund(decision.Verb, decision.Environment);
        var left = RunWording.Remaining(decision.ExpiresAt - now);
        return decision switch
        {
            { Status: DecisionStatus.Pending, Kind: DecisionKind.Confirm } => new OutgoingMessage
            {
                Text = $"❓ *{decision.RequesterName}*, confirm {doing}?\n{decision.Preview}\nPress Confirm or type `{decision.Environment}` within {left}.",
                Buttons =
                [
                    new ChatButton(DecisionActions.Id("confirm", decision.Id), "Confirm", destructive ? ButtonStyle.Danger : ButtonStyle.Primary),
                    new ChatButton(DecisionActions.Id("cancel", decision.Id), "Cancel"),
                ],
                Context = [$"run {decision.RunId} · only {decision.RequesterName} can confirm"],
            },
            { Status: DecisionStatus.Pending, Kind: DecisionKind.Approve } => new OutgoingMessage
            {
                Text = $"🔐 *{decision.RequesterName}* asks for approval: {doing}.\n{decision.Preview}\nAnother member of *{decision.ApproverRole}* must approve within {left}{(approvers is { Count: > 0 } ? $": {string.Join(", ", approvers)}" : "")}.",
                Buttons =
                [
                    new ChatButton(DecisionActions.Id("approve", decision.Id), "Approve", ButtonStyle.Danger),
                    new ChatButton(DecisionActions.Id("reject", decision.Id), "Reject"),
                ],
                Context = [$"run {decision.RunId} · {decision.RequesterName} cannot approve their own request"],
            },
            _ => new OutgoingMessage
            {
                Text = decision.Status switch
                {
                    DecisionStatus.Cancelled => $"🚫 {RunWording.Capitalize(doing)}: cancelled by {decision.AnsweredBy}.",
                    DecisionStatus.Rejected => $"🚫 {RunWording.Capitalize(doing)}: rejected by {decision.AnsweredBy}.",
                    DecisionStatus.Expired => $"⌛ {RunWording.Capitalize(doing)}: nobody answered in time, so nothing was done.",
                    _ => $"{RunWording.Capitalize(doing)}: {decision.Status.ToString().ToLowerInvariant()} by {decision.AnsweredBy}.",
                },
                Context = [$"run {decision.RunId}"],
            },
        };
    }

}
