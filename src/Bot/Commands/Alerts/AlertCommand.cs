using System.Globalization;
using System.Text;
using ChatOps.Bot.Audit;
using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Alerts;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary>
/// <c>/alert list|ack|resolve|mute</c>. Registered once per verb as <c>alert-{verb}</c>; the alert's
/// message (every copy) shows the change, so success replies stay short.
/// </summary>
public sealed class AlertCommand(string verb, AlertService alerts, AuditTrail audit, IOptions<AlertOptions> options, TimeProvider time) : IChatCommand
{
    public string Name => $"alert-{verb}";

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var who = context.Principal.DisplayName;
        switch (verb)
        {
            case "list":
                return CommandResult.Ok(await ListAsync(cancellationToken));
            case "ack":
                return await AnswerAsync(context, await alerts.AcknowledgeAsync(Id(context), who, cancellationToken), $"Acknowledged #{Id(context)}.", cancellationToken);
            case "resolve":
                if (!context.Principal.HasRole(options.Value.ResolveRole))
                {
                    return CommandResult.Fail(CommandError.Unauthorized, $"Resolving alerts needs the `{options.Value.ResolveRole}` role.");
                }

                return await AnswerAsync(context, await alerts.ResolveAsync(Id(context), who, cancellationToken), $"Resolved #{Id(context)}.", cancellationToken);
            default:
                if (!context.Principal.HasRole(options.Value.MuteRole))
                {
                    return CommandResult.Fail(CommandError.Unauthorized, $"Muting alerts needs the `{options.Value.MuteRole}` role.");
                }

                var duration = TimeSpan.ParseExact(context.Invocation["duration"]!, "c", CultureInfo.InvariantCulture);
                var result = await alerts.MuteAsync(context.Invocation["matcher"]!, duration, who, cancellationToken);
                return await AnswerAsync(context, result, $"Muted `{context.Invocation["matcher"]}` for {AlertFormatter.Span(duration)} ({result.Alerts.Count} open {(result.Alerts.Count == 1 ? "alert" : "alerts")}).", cancellationToken);
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var open = await alerts.ListAsync(false, cancellationToken);
        var now = time.GetUtcNow();
        // The answer is not edited as alerts change: it says when it was true.
        var asOf = ChatTime.Mark(now);
        if (open.Count == 0)
        {
            return $"No open alerts as of {asOf}. 🎉";
        }

        var text = new StringBuilder($"{open.Count} open {(open.Count == 1 ? "alert" : "alerts")} as of {asOf}:\n");
        foreach (var group in open.GroupBy(a => a.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (group.Key.Length > 0)
            {
                text.Append('*').Append(group.Key).Append("*\n");
            }

            foreach (var alert in group.Take(20))
            {
                text.Append("• ").Append(AlertFormatter.Line(alert, now)).Append('\n');
            }
        }

        return text.ToString().TrimEnd();
    }

    private static long Id(CommandContext context) => long.Parse(context.Invocation["id"]!, CultureInfo.InvariantCulture);

    private async Task<CommandResult> AnswerAsync(CommandContext context, AlertActionResult result, string success, CancellationToken cancellationToken)
    {
        var id = context.Invocation["id"] is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : (long?)null;
        await AlertActions.AuditAsync(audit, context.Principal, $"alert-{verb}", id, result, cancellationToken);
        return result.Succeeded ? CommandResult.Ok(success) : CommandResult.Fail(CommandError.Refused, result.Refusal!);
    }
}
