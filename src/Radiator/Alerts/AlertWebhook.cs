using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatOps.Integrations.JsonInput;

namespace ChatOps.Radiator.Alerts;

/// <summary>One alert of a webhook body that was refused: its 0-based position, and why (naming the field by its path).</summary>
internal sealed record AlertRejection(int Index, string Reason);

/// <summary>
/// What a webhook body held: the alerts to apply, the items refused, or an <see cref="Error"/> when the
/// body as a whole cannot be read (then nothing is applied).
/// </summary>
internal sealed record AlertWebhookResult(IReadOnlyList<AlertSignal> Signals, IReadOnlyList<AlertRejection> Rejected, string? Error = null)
{
    public static AlertWebhookResult Failed(string error) => new([], [], error);
}

/// <summary>
/// Reads <c>POST /api/alerts</c>: our own JSON (one object or an array of
/// <c>{fingerprint, status, title, severity, labels, startsAt, description}</c>) or an Alertmanager
/// webhook (<c>{version, status, alerts:[{status, labels, annotations, startsAt, fingerprint}]}</c>,
/// which Grafana also sends). Each alert is decided on its own: a bad one is refused with the path of
/// its first bad field and the good ones beside it are kept, because Alertmanager and Grafana never
/// resend a group that was answered 4xx. A body that is not one of these shapes is refused whole.
/// </summary>
internal static class AlertWebhook
{
    public const int MaxFieldLength = 1000;
    public const int MaxAlerts = 1000;

    private static readonly string[] Severities = ["critical", "error", "warning", "info"];

    /// <summary>Reads a webhook body.</summary>
    /// <param name="body">The parsed body.</param>
    /// <param name="latest">The latest <c>startsAt</c> accepted (now plus the allowed clock skew); alerts that start later are refused.</param>
    public static AlertWebhookResult Parse(JsonElement body, DateTimeOffset? latest = null)
    {
        var limit = latest ?? DateTimeOffset.MaxValue;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("alerts", out var alerts))
        {
            return StrictJson.FindProblemOutside(body, "alerts") is { } envelope
                ? AlertWebhookResult.Failed($"{envelope}.")
                : ParseAlertmanager(alerts, limit);
        }

        var items = body.ValueKind switch
        {
            JsonValueKind.Array => body.EnumerateArray().Select((e, i) => (Element: e, Path: $"[{i}]")).ToList(),
            JsonValueKind.Object => [(body, "")],
            _ => null,
        };
        if (items is null || items.Count == 0)
        {
            return AlertWebhookResult.Failed("body: expected an alert object, an array of them, or an Alertmanager webhook with `alerts`.");
        }

        if (items.Count > MaxAlerts)
        {
            return AlertWebhookResult.Failed($"body: at most {MaxAlerts} alerts per request.");
        }

        var signals = new List<AlertSignal>();
        var rejected = new List<AlertRejection>();
        for (var i = 0; i < items.Count; i++)
        {
            var (element, path) = items[i];
            var (signal, error) = StrictJson.FindProblem(element, path) is { } problem
                ? (null, $"{problem}.")
                : ParseOurs(element, path, limit);
            if (error is not null)
            {
                rejected.Add(new AlertRejection(i, error));
            }
            else
            {
                signals.Add(signal!);
            }
        }

        return new AlertWebhookResult(signals, rejected);
    }

    private static (AlertSignal? Signal, string? Error) ParseOurs(JsonElement element, string path, DateTimeOffset latest)
    {
        string Field(string name) => path.Length == 0 ? name : $"{path}.{name}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{(path.Length == 0 ? "body" : path)}: expected an object.");
        }

        if (Text(element, "fingerprint", Field("fingerprint"), required: true, out var fingerprint) is { } e1)
        {
            return (null, e1);
        }

        if (Text(element, "status", Field("status"), required: true, out var status) is { } e2)
        {
            return (null, e2);
        }

        if (status is not ("firing" or "resolved"))
        {
            return (null, $"{Field("status")}: must be \"firing\" or \"resolved\", not \"{Short(status!)}\".");
        }

        // Every field is read; the first error in document order is the one reported.
        var errors = new[]
        {
            Text(element, "title", Field("title"), required: true, out var title),
            Text(element, "severity", Field("severity"), required: false, out var severity),
            Text(element, "description", Field("description"), required: false, out var description),
            Labels(element, "labels", Field("labels"), out var labels),
            Time(element, "startsAt", Field("startsAt"), latest, out var startsAt),
        };
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            return (null, error);
        }

        severity = severity?.ToLowerInvariant() ?? "warning";
        if (!Severities.Contains(severity))
        {
            return (null, $"{Field("severity")}: must be one of {string.Join(", ", Severities)}, not \"{Short(severity)}\".");
        }

        return (new AlertSignal(fingerprint!, status == "firing", title!, severity, labels, startsAt, description, "webhook"), null);
    }

    private static AlertWebhookResult ParseAlertmanager(JsonElement alerts, DateTimeOffset latest)
    {
        if (alerts.ValueKind != JsonValueKind.Array)
        {
            return AlertWebhookResult.Failed("alerts: expected an array.");
        }

        if (alerts.GetArrayLength() > MaxAlerts)
        {
            return AlertWebhookResult.Failed($"alerts: at most {MaxAlerts} alerts per request.");
        }

        var signals = new List<AlertSignal>();
        var rejected = new List<AlertRejection>();
        var i = 0;
        foreach (var alert in alerts.EnumerateArray())
        {
            var path = $"alerts[{i}]";
            var (signal, error) = StrictJson.FindProblem(alert, path) is { } problem
                ? (null, $"{problem}.")
                : ParseAlertmanagerAlert(alert, path, latest);
            if (error is not null)
            {
                rejected.Add(new AlertRejection(i, error));
            }
            else
            {
                signals.Add(signal!);
            }

            i++;
        }

        return new AlertWebhookResult(signals, rejected);
    }

    private static (AlertSignal? Signal, string? Error) ParseAlertmanagerAlert(JsonElement alert, string path, DateTimeOffset latest)
    {
        if (alert.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{path}: expected an object.");
        }

        if (Text(alert, "status", $"{path}.status", required: true, out var status) is { } e1)
        {
            return (null, e1);
        }

        if (status is not ("firing" or "resolved"))
        {
            return (null, $"{path}.status: must be \"firing\" or \"resolved\", not \"{Short(status!)}\".");
        }

        var errors = new[]
        {
            Labels(alert, "labels", $"{path}.labels", out var labels),
            Labels(alert, "annotations", $"{path}.annotations", out var annotations),
            Time(alert, "startsAt", $"{path}.startsAt", latest, out var startsAt),
            Text(alert, "fingerprint", $"{path}.fingerprint", required: false, out var fingerprint),
        };
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            return (null, error);
        }

        var summary = annotations.GetValueOrDefault("summary");
        var title = summary ?? labels.GetValueOrDefault("alertname") ?? "alert";
        // The identity, in order: the sender's fingerprint, the label set, and for an alert with
        // neither (Grafana's test and resolved notifications can carry `labels: {}`) its summary.
        string identity;
        if (!string.IsNullOrEmpty(fingerprint))
        {
            identity = fingerprint;
        }
        else if (labels.Count > 0)
        {
            identity = FingerprintOf(labels);
        }
        else if (!string.IsNullOrWhiteSpace(summary))
        {
            identity = FingerprintOf(new Dictionary<string, string> { ["annotations.summary"] = summary });
        }
        else
        {
            return (null, $"{path}.labels: empty, and the alert has no `fingerprint` or `annotations.summary` either, so nothing identifies it.");
        }

        var severity = labels.GetValueOrDefault("severity")?.ToLowerInvariant() is { } s && Severities.Contains(s) ? s : "warning";
        return (new AlertSignal(identity, status == "firing", title, severity, labels, startsAt, annotations.GetValueOrDefault("description"), "alertmanager"), null);
    }

    /// <summary>Alertmanager before 0.20 sent no fingerprint: the sorted label set identifies the alert just as well.</summary>
    private static string FingerprintOf(IReadOnlyDictionary<string, string> labels)
    {
        var text = string.Join('\n', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }

    private static string? Text(JsonElement element, string name, string path, bool required, out string? value)
    {
        value = null;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return required ? $"{path}: required." : null;
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            return $"{path}: expected a string.";
        }

        value = property.GetString()!.Trim();
        if (required && value.Length == 0)
        {
            return $"{path}: must not be empty.";
        }

        return value.Length > MaxFieldLength ? $"{path}: at most {MaxFieldLength} characters." : null;
    }

    private static string? Labels(JsonElement element, string name, string path, out Dictionary<string, string> labels)
    {
        labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (property.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: expected an object of strings.";
        }

        foreach (var label in property.EnumerateObject())
        {
            if (label.Value.ValueKind != JsonValueKind.String)
            {
                return $"{path}.{label.Name}: expected a string.";
            }

            if (label.Value.GetString()!.Length > MaxFieldLength || label.Name.Length > 100)
            {
                return $"{path}.{label.Name}: too long.";
            }

            labels[label.Name] = label.Value.GetString()!;
        }

        return null;
    }

    private static string? Time(JsonElement element, string name, string path, DateTimeOffset latest, out DateTimeOffset? value)
    {
        value = null;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (property.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(property.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return $"{path}: expected an ISO 8601 time such as \"2026-11-22T09:00:00Z\".";
        }

        if (parsed > latest)
        {
            return $"{path}: \"{Short(property.GetString()!)}\" is too far in the future; the latest accepted now is {latest.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} (this host's clock plus Radiator:MaxClockSkew).";
        }

        // Alertmanager's "zero" time means unknown.
        value = parsed.Year <= 1 ? null : parsed;
        return null;
    }

    private static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
