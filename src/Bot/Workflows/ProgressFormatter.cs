using System.Text;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>Renders a run as its one chat message: a headline, each step, the elapsed time. Pure.</summary>
internal static class ProgressFormatter
{
    /// <summary>The prefix of a run's Cancel button: <c>cancel-run:{id}</c>.</summary>
    public const string CancelActionPrefix = "cancel-run:";

    public static string CancelActionId(long runId) => $"{CancelActionPrefix}{runId}";

    /// <param name="run">The run as stored.</param>
    /// <param name="kinds">How a run of its verb is spoken of.</param>
    /// <param name="now">For the elapsed time.</param>
    public static OutgoingMessage Render(RunRecord run, RunKinds kinds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(kinds);
        var text = new StringBuilder(Headline(run, kinds)).Append('\n');
        foreach (var step in run.Steps)
        {
            text.Append(Icon(step.State)).Append(' ').Append(step.Name);
            if (!string.IsNullOrEmpty(step.Detail))
            {
                text.Append(" — ").Append(step.Detail);
            }

            if (step is { StartedAt: { } started, EndedAt: { } ended })
            {
                text.Append(" (").Append(RunWording.Duration(ended - started)).Append(')');
            }

            text.Append('\n');
        }

        var since = run.StartedAt ?? run.CreatedAt;
        text.Append(run.IsFinished
            ? $"Took {RunWording.Duration((run.EndedAt ?? now) - since)}."
            : $"Elapsed: {RunWording.Duration(now - since)}.");
        return new OutgoingMessage
        {
            Text = text.ToString(),
            Context = [$"run {run.Id} · requested by {run.RequesterName}{(run.ApprovedBy is null ? "" : $" · approved by {run.ApprovedBy}")}"],
            Buttons = run.IsFinished ? [] : [new ChatButton(CancelActionId(run.Id), "Cancel run", ButtonStyle.Danger)],
        };
    }

    private static string Headline(RunRecord run, RunKinds kinds)
    {
        var doing = kinds.Gerund(run.Verb, run.Environment);
        return run.Status switch
        {
            RunStatus.Pending or RunStatus.Running => $"⏳ *{run.RequesterName}* is {doing}",
            RunStatus.Succeeded => $"✅ {RunWording.Outcome(run, kinds)}",
            RunStatus.Failed => $"❌ {RunWording.Capitalize(doing)} failed: {run.Result}",
            RunStatus.Cancelled => $"🚫 {RunWording.Capitalize(doing)} was cancelled: {run.Result}",
            RunStatus.TimedOut => $"⌛ {RunWording.Capitalize(doing)} timed out: {run.Result}",
            RunStatus.Interrupted => $"⚠️ {RunWording.Capitalize(doing)} was interrupted: {run.Result}",
            _ => $"{RunWording.Capitalize(doing)}: {run.Status.ToWire()} {run.Result}",
        };
    }

    private static string Icon(StepState state) => state switch
    {
        StepState.Running => "🔄",
        StepState.Succeeded => "✅",
        StepState.Failed => "❌",
        StepState.Skipped => "➖",
        _ => "⬜",
    };
}
