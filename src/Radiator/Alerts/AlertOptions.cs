using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary>Alert lifecycle, routing, escalation and on-call (<c>Radiator:Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Radiator:Alerts";

    public const string DefaultChannel = "webchat:alerts";

    /// <summary>Where alerts go when no route matches. <value>Default: <c>["webchat:alerts"]</c>.</value></summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>Routes, first match wins: label matchers, channels and escalation steps.</summary>
    public List<AlertRouteOptions> Routes { get; set; } = [];

    /// <summary>How long an acknowledgement holds before a still-firing alert fires again. <value>Default: 4 hours.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan AcknowledgementExpiry { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Labels whose values group alerts (shown on the message). <value>Default: <c>["alertname", "environment"]</c>.</value></summary>
    public List<string> GroupBy { get; set; } = [];

    /// <summary>The window in which flips count towards flapping. <value>Default: 30 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FlapWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Flips (firing→resolved or back) within <see cref="FlapWindow"/> that make an alert flapping. <value>Default: 4.</value></summary>
    [Range(2, 1000)]
    public int FlapThreshold { get; set; } = 4;

    /// <summary>An alert starting this soon after a deployment to its environment says so. <value>Default: 30 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DeploymentWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The label naming an alert's environment. <value>Default: <c>environment</c>.</value></summary>
    [Required]
    public string EnvironmentLabel { get; set; } = "environment";

    /// <summary>How often expiries and escalations are checked. <value>Default: 15 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan Tick { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the radiator's own rules are evaluated. <value>Default: 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RuleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>/alert mute</c>. <value>Default: 7 days.</value></summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaxMute { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long the Mute button silences one alert. <value>Default: 1 hour.</value></summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan ButtonMute { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The role needed to resolve alerts from chat; null lets any member. <value>Default: null.</value></summary>
    public string? ResolveRole { get; set; }

    /// <summary>The role needed to mute alerts from chat; null lets any member. <value>Default: null.</value></summary>
    public string? MuteRole { get; set; }

    /// <summary>The largest webhook body. <value>Default: 1 MiB.</value></summary>
    [Range(1024, 1L << 28)]
    public long MaxWebhookBytes { get; set; } = 1024 * 1024;

    /// <summary>Elasticsearch indices tailed for alerts (needs <c>Elasticsearch:Url</c>).</summary>
    public List<AlertSourceOptions> Sources { get; set; } = [];

    /// <summary>The radiator's own rules over the event source.</summary>
    public List<AlertRuleOptions> Rules { get; set; } = [];

    /// <summary>On-call rotations by name, used by escalation steps (<c>oncall:{name}</c>).</summary>
    public Dictionary<string, OnCallRotationOptions> OnCall { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Alerts whose labels match all <see cref="Match"/> pairs go to <see cref="Channels"/>.</summary>
public sealed class AlertRouteOptions
{
    public Dictionary<string, string> Match { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Channels { get; set; } = [];

    /// <summary>Ordered steps, stopped by an acknowledgement or a resolve.</summary>
    public List<EscalationStepOptions> Escalation { get; set; } = [];
}

/// <summary>Wait, then notify someone; <see cref="Repeat"/> extra times.</summary>
public sealed class EscalationStepOptions
{
    /// <summary>How long after the previous step (or the firing). <value>Default: 5 minutes.</value></summary>
    public TimeSpan Wait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A person (<c>alice</c>) or a rotation (<c>oncall:primary</c>).</summary>
    public string Notify { get; set; } = "";

    /// <summary>How many more times this step repeats after its wait. <value>Default: 0.</value></summary>
    public int Repeat { get; set; }
}

/// <summary>A rotation: <see cref="People"/> take turns of <see cref="Shift"/> from <see cref="Start"/>.</summary>
public sealed class OnCallRotationOptions
{
    public DateTimeOffset Start { get; set; } = DateTimeOffset.UnixEpoch;

    public TimeSpan Shift { get; set; } = TimeSpan.FromDays(7);

    public List<string> People { get; set; } = [];

    public string? Who(DateTimeOffset now) => People.Count == 0 || Shift <= TimeSpan.Zero
        ? null
        : People[(int)(Math.Max(0, (now - Start).Ticks / Shift.Ticks) % People.Count)];
}

[OptionsValidator]
internal sealed partial class AlertOptionsDataValidator : IValidateOptions<AlertOptions>;

/// <summary>Channels must be <c>platform:channel</c>; escalation targets must exist.</summary>
internal sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        errors.AddRange(options.Channels.Where(c => !Destinations.TryParse(c, out _)).Select(c => $"{AlertOptions.SectionName}:Channels: '{c}' is not platform:channel."));
        errors.AddRange(options.Sources.Where(s => string.IsNullOrWhiteSpace(s.Name) || s.Interval <= TimeSpan.Zero)
            .Select(s => $"{AlertOptions.SectionName}:Sources: '{s.Name}' needs a Name and a positive Interval."));
        errors.AddRange(options.Sources.Where(s => s.Preset == AlertPreset.Custom && string.IsNullOrWhiteSpace(s.Index))
            .Select(s => $"{AlertOptions.SectionName}:Sources: '{s.Name}' (Custom) needs an Index."));
        errors.AddRange(options.Sources.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"{AlertOptions.SectionName}:Sources: the name '{g.Key}' is used twice."));
        errors.AddRange(options.Rules.Where(r => string.IsNullOrWhiteSpace(r.Name) || string.IsNullOrWhiteSpace(r.Key) || r.Window <= TimeSpan.Zero || r.For < TimeSpan.Zero)
            .Select(r => $"{AlertOptions.SectionName}:Rules: '{r.Name}' needs a Name, a Key, a positive Window and a For that is not negative."));
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            errors.AddRange(route.Channels.Where(c => !Destinations.TryParse(c, out _)).Select(c => $"{AlertOptions.SectionName}:Routes:{i}:Channels: '{c}' is not platform:channel."));
            for (var s = 0; s < route.Escalation.Count; s++)
            {
                var step = route.Escalation[s];
                if (string.IsNullOrWhiteSpace(step.Notify))
                {
                    errors.Add($"{AlertOptions.SectionName}:Routes:{i}:Escalation:{s}:Notify is required.");
                }
                else if (step.Notify.StartsWith("oncall:", StringComparison.OrdinalIgnoreCase) && !options.OnCall.ContainsKey(step.Notify["oncall:".Length..]))
                {
                    errors.Add($"{AlertOptions.SectionName}:Routes:{i}:Escalation:{s}:Notify: no rotation '{step.Notify["oncall:".Length..]}' in OnCall.");
                }

                if (step.Wait < TimeSpan.Zero || step.Repeat < 0)
                {
                    errors.Add($"{AlertOptions.SectionName}:Routes:{i}:Escalation:{s}: Wait and Repeat must not be negative.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
