using System.Globalization;
using ChatOps.Bot.Audit;
using ChatOps.Bot.Identity;
using ChatOps.Radiator.Alerts;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary>
/// <c>/alert mute alertname=DiskFull 2h</c> and the Mute button (one alert, for <see cref="AlertOptions.ButtonMute"/>):
/// silences matching alerts, visibly in the alert channels; may need <see cref="AlertOptions.MuteRole"/>.
/// </summary>
internal sealed class AlertMuteCommand(
    AlertService alerts, AlertStore store, AlertRouting routing, AuditTrail audit, IOptions<AlertOptions> options, ILogger<AlertMuteCommand> logger)
    : AlertButtonCommand(store, routing, audit, logger), IDeclaresCommand
{
    internal const string MatcherArgument = "matcher";
    internal const string DurationArgument = "duration";

    public static VerbDefinition Definition { get; } = new()
    {
        Group = AlertCommands.Group, Name = "mute", Aliases = ["silence"], ParseWords = AlertArguments.MatcherAndDuration,
        Arguments =
        [
            new(MatcherArgument, ArgumentKind.Text, "label=value pairs (comma-separated) or an alert number") { Required = true },
            new(DurationArgument, ArgumentKind.Text, "how long: 30m, 2h, 1d") { Required = true },
        ],
        Summary = "Silence matching alerts for a while, visibly in the alert channels.",
        Examples = ["/alert mute alertname=DiskFull 2h", "/alert mute 42 30m"],
        Buttons = [AlertFormatter.MuteAction],
    };

    protected override VerbDefinition Declared => Definition;

    protected override string? RequiredRole => options.Value.MuteRole;

    protected override string Doing => "Muting";

    protected override Task<AlertActionResult> PressedAsync(long id, Principal principal, CancellationToken cancellationToken) =>
        alerts.MuteAsync($"#{id.ToString(CultureInfo.InvariantCulture)}", options.Value.ButtonMute, principal.DisplayName, cancellationToken);

    public override async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RoleRefusal(context.Principal) is { } refusal)
        {
            return CommandResult.Fail(CommandError.Unauthorized, refusal);
        }

        var matcher = context.Invocation[MatcherArgument]!;
        var duration = TimeSpan.ParseExact(context.Invocation[DurationArgument]!, "c", CultureInfo.InvariantCulture);
        var result = await alerts.MuteAsync(matcher, duration, context.Principal.DisplayName, cancellationToken);
        var count = result.Alerts.Count;
        return await AnswerAsync(context, null, result,
            $"Muted `{matcher}` for {AlertFormatter.Span(duration)} ({count} open {(count == 1 ? "alert" : "alerts")}).", cancellationToken);
    }
}
