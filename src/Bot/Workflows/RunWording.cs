using ChatOps.Bot.Conversations;
using ChatOps.Integrations.Infrastructure;
using Humanizer;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// How runs are spoken of in chat: "alice has been bringing test up for 2 minutes". What a verb's run is
/// called ("bringing {env} up") is its command's to say, through <see cref="RunKinds"/>.
/// </summary>
internal static class RunWording
{
    public static string Outcome(RunRecord run, RunKinds kinds)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(kinds);
        return kinds.Restore(run.Verb, run.Arguments) switch
        {
            NodeRunArguments { Operation: InfraVerb.Up } => $"*{run.Environment}* is up",
            NodeRunArguments { Operation: InfraVerb.Provision, Version: var version } => $"*{run.Environment}* runs version `{version}`",
            NodeRunArguments { Operation: InfraVerb.Halt } => $"*{run.Environment}* is halted",
            NodeRunArguments { Operation: InfraVerb.Destroy } => $"*{run.Environment}* is destroyed",
            _ => $"{Capitalize(kinds.Gerund(run.Verb, run.Environment))} succeeded",
        };
    }

    public static string Busy(LeaseInfo lease, RunKinds kinds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(kinds);
        return Busy(lease, kinds.Gerund(lease.Verb, lease.Environment), now);
    }

    private static string Busy(LeaseInfo lease, string doing, DateTimeOffset now) =>
        $"{lease.HolderName} has been {doing} for {Duration(now - lease.AcquiredAt)} (run {lease.RunId}).";

    public static string Locked(LockInfo held, DateTimeOffset now) =>
        $"*{held.Environment}* is locked by {held.HolderName} since {Duration(now - held.AcquiredAt)} ago" +
        (string.IsNullOrWhiteSpace(held.Reason) ? "." : $": {held.Reason}");

    /// <summary>Why a run did not start, in the words every platform shows.</summary>
    public static string Describe(RunRefusal refusal) => refusal switch
    {
        RunRefusal.Busy busy => Busy(busy.Lease, busy.Doing, busy.At),
        RunRefusal.Locked locked => Locked(locked.Lock, locked.At),
        RunRefusal.NotStartable { Status: null } not => $"Run {not.RunId} does not exist.",
        RunRefusal.NotStartable { Status: { } status } not => $"Run {not.RunId} is {status.ToWire()}.",
        _ => "The run could not start.",
    };

    /// <summary>Why an answer to a confirmation or approval changed nothing, in the words every platform shows.</summary>
    public static string Describe(DecisionRefusal refusal) => refusal switch
    {
        DecisionRefusal.NotThisRequest => "That button does not belong to this request.",
        DecisionRefusal.AlreadyAnswered already =>
            $"This request was already {already.Status.ToString().ToLowerInvariant()}{(already.By is null ? "" : $" by {already.By}")}; nothing changed.",
        DecisionRefusal.Expired expired => $"This request expired {Duration(expired.Ago)} ago; nothing was done. Ask again if it is still needed.",
        DecisionRefusal.NotRequester not => $"Only {not.RequesterName}, who asked, can confirm or cancel this request.",
        DecisionRefusal.OwnRequest own => $"You cannot approve your own request: another member of *{own.ApproverRole}* must.",
        DecisionRefusal.MissingRole missing => $"Approving needs the *{missing.ApproverRole}* role, which you do not have.",
        _ => "That button no longer does anything.",
    };

    public static string Duration(TimeSpan span) =>
        span < TimeSpan.FromSeconds(1) ? "a moment" : span.Humanize(precision: 1, minUnit: TimeUnit.Second);

    /// <summary>Time left, rounded up to whole minutes past one, so a fresh 5-minute window reads "5 minutes".</summary>
    public static string Remaining(TimeSpan span) =>
        Duration(span > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(Math.Ceiling(span.TotalMinutes)) : span);

    /// <summary>"5 minutes ago", or "just now".</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now) => at.Humanize(now) is var ago && ago == "now" ? "just now" : ago;

    public static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
