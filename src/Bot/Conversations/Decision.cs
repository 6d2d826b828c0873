using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// A stored question to a person: confirm a risky run (only its requester may answer) or approve it
/// (only someone else holding <see cref="ApproverRole"/>). It expires, survives restarts, and is
/// answered at most once. It is shown as its run's message.
/// </summary>
internal sealed record Decision(
    long Id,
    long RunId,
    DecisionKind Kind,
    string Verb,
    string Environment,
    string RequesterId,
    string RequesterName,
    string? ApproverRole,
    string Preview,
    DecisionStatus Status,
    string? AnsweredBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    ChatDestination Destination);

internal enum DecisionKind
{
    Confirm,
    Approve,
}

internal enum DecisionStatus
{
    Pending,
    Confirmed,
    Approved,
    Rejected,
    Cancelled,
    Expired,
}

/// <summary>Button action ids: <c>confirm:7</c>, <c>cancel:7</c>, <c>approve:8</c>, <c>reject:8</c>.</summary>
internal static class DecisionActions
{
    public static string Id(string verb, long decisionId) => $"{verb}:{decisionId}";

    public static bool TryParse(string actionId, out string verb, out long decisionId)
    {
        verb = "";
        decisionId = 0;
        var colon = actionId.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(actionId.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out decisionId))
        {
            return false;
        }

        verb = actionId[..colon];
        return true;
    }
}
