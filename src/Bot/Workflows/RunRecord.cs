using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// A durable run: written before anything happens, updated as it goes, kept afterwards for history.
/// </summary>
internal sealed record RunRecord
{
    public required long Id { get; init; }

    public required string Environment { get; init; }

    public required string Verb { get; init; }

    public IReadOnlyDictionary<string, string> Arguments { get; init; } = new Dictionary<string, string>();

    public required string RequesterId { get; init; }

    public required string RequesterName { get; init; }

    /// <summary>Who approved the run, when it needed a second person's approval.</summary>
    public string? ApprovedBy { get; init; }

    /// <summary>The replica that holds (or last held) the run; null for runs from before replicas were recorded.</summary>
    public string? Replica { get; init; }

    public required ChatDestination Destination { get; init; }

    public required RunStatus Status { get; init; }

    public IReadOnlyList<RunStep> Steps { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public long? FencingToken { get; init; }

    /// <summary>One line saying how it ended, for history and the final message.</summary>
    public string? Result { get; init; }

    /// <summary>The last lines of output, kept for failures and the API.</summary>
    public IReadOnlyList<string> OutputTail { get; init; } = [];

    public bool IsFinished => Status.IsFinished();
}

/// <summary>One step of a run as shown in its progress message.</summary>
internal sealed record RunStep(string Name, StepState State, string? Detail = null, DateTimeOffset? StartedAt = null, DateTimeOffset? EndedAt = null);

/// <summary>
/// Where a run is in its one life, moved only by <see cref="WorkflowEngine"/>: a request starts it at once
/// (<see cref="Pending"/>) or waits for its requester (<see cref="AwaitingConfirmation"/>), then perhaps for a
/// second person (<see cref="AwaitingApproval"/>); a run that takes its lease is <see cref="Pending"/>, then
/// <see cref="Running"/>, and ends <see cref="Succeeded"/>, <see cref="Failed"/>, <see cref="Cancelled"/>,
/// <see cref="TimedOut"/> or <see cref="Interrupted"/>; a waiting run ends <see cref="Cancelled"/>,
/// <see cref="Rejected"/>, <see cref="Expired"/> or <see cref="Refused"/> without ever running.
/// </summary>
internal enum RunStatus
{
    AwaitingConfirmation,
    AwaitingApproval,
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
    Interrupted,
    Rejected,
    Expired,
    Refused,
}

internal static class RunStatusExtensions
{
    public static bool IsFinished(this RunStatus status) =>
        status is not (RunStatus.AwaitingConfirmation or RunStatus.AwaitingApproval or RunStatus.Pending or RunStatus.Running);

    /// <summary>The lower-case, dash-separated name used in JSON and the database.</summary>
    public static string ToWire(this RunStatus status) => status switch
    {
        RunStatus.AwaitingConfirmation => "awaiting-confirmation",
        RunStatus.AwaitingApproval => "awaiting-approval",
        RunStatus.TimedOut => "timed-out",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static RunStatus FromWire(string value) =>
        Enum.GetValues<RunStatus>().First(s => s.ToWire() == value);
}
