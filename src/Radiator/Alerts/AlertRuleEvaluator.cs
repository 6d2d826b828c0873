using System.Globalization;
using ChatOps.Radiator.Events;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// Evaluates the radiator's own rules over <see cref="IEventSource"/>. A condition must hold for the
/// rule's <c>For</c> before the alert fires; it resolves as soon as the condition clears. Firing and
/// resolving go through <see cref="AlertService.ReceiveAsync(AlertSignal, CancellationToken)"/>, which ignores repeats. Since when a
/// condition holds is kept in the state store, so a restart in the middle of a <c>For</c> does not start it again.
/// </summary>
internal sealed class AlertRuleEvaluator(IEventSource events, AlertService alerts, AlertWatchStore watch, IOptions<AlertOptions> options, TimeProvider time)
{
    /// <summary>Evaluates one rule now; returns whether its condition holds.</summary>
    public async Task<bool> EvaluateAsync(AlertRuleOptions rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var now = time.GetUtcNow();
        var count = rule.Kind == AlertRuleKind.Spike ? rule.ReferenceWindows + 1 : 1;
        var windows = TimeWindow.Ending(now, rule.Window, count);
        var measured = await events.MeasureAsync(new KpiQuery(rule.Key, rule.Aggregation) { Query = rule.Query }, windows, cancellationToken);
        var last = measured[^1];
        var (holds, what) = rule.Kind switch
        {
            AlertRuleKind.Flatline => (last.Count == 0, $"no `{rule.Key}` events for {AlertFormatter.Span(rule.Window)}"),
            AlertRuleKind.Spike => Spike(rule, last, measured.Take(measured.Count - 1).ToList()),
            _ => Threshold(rule, last),
        };

        var firing = holds && await HeldForAsync(rule, now, cancellationToken);
        if (!holds && rule.For > TimeSpan.Zero)
        {
            await watch.ClearedAsync(rule.Name, cancellationToken);
        }

        var labels = new Dictionary<string, string>(rule.Labels, StringComparer.Ordinal) { ["alertname"] = rule.Name, ["rule"] = rule.Kind.ToString().ToLowerInvariant() };
        if (firing || !holds)
        {
            await alerts.ReceiveAsync(new AlertSignal($"rule:{rule.Name}", firing, $"{rule.Name}: {what}", rule.Severity, labels, null, null, "rule"), cancellationToken);
        }

        return holds;
    }

    private async Task<bool> HeldForAsync(AlertRuleOptions rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rule.For <= TimeSpan.Zero)
        {
            return true;
        }

        // Consecutive evaluations see the condition without a blind spot when they are at most a window
        // (or a couple of intervals) apart; a longer gap means the host was down and nobody saw it hold.
        var maxGap = rule.Window > 2 * options.Value.RuleInterval ? rule.Window : 2 * options.Value.RuleInterval;
        var since = await watch.HoldingAsync(rule.Name, now, maxGap, cancellationToken);
        return now - since >= rule.For;
    }

    private static (bool, string) Threshold(AlertRuleOptions rule, Measurement last)
    {
        var value = last.Value;
        var text = value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "no value";
        return value switch
        {
            { } v when rule.Above is { } above && v > above => (true, $"`{rule.Key}` is {text}, above {above.ToString(CultureInfo.InvariantCulture)}"),
            { } v when rule.Below is { } below && v < below => (true, $"`{rule.Key}` is {text}, below {below.ToString(CultureInfo.InvariantCulture)}"),
            _ => (false, $"`{rule.Key}` is {text}"),
        };
    }

    private static (bool, string) Spike(AlertRuleOptions rule, Measurement last, List<Measurement> reference)
    {
        var values = reference.Where(m => m.Value is not null).Select(m => m.Value!.Value).ToList();
        if (values.Count == 0 || last.Value is not { } value)
        {
            return (false, "not enough data");
        }

        var mean = values.Average();
        var text = $"`{rule.Key}` is {value.ToString("0.##", CultureInfo.InvariantCulture)}, {(mean > 0 ? (value / mean).ToString("0.#", CultureInfo.InvariantCulture) : "∞")}× its recent mean {mean.ToString("0.##", CultureInfo.InvariantCulture)}";
        return (value >= rule.Factor * mean && value > mean, text);
    }
}
