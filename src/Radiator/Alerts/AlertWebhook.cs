using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// Reads <c>POST /api/alerts</c>: our own JSON (one object or an array of
/// <c>{fingerprint, status, title, severity, labels, startsAt, description}</c>) or an Alertmanager
/// webhook (<c>{version, status, alerts:[{status, labels, annotations, startsAt, fingerprint}]}</c>,
/// which Grafana also sends). Any bad field rejects the whole body with its path, so nothing is half-applied.
/// </summary>
public static class AlertWebhook
{
    public const int MaxFieldLength = 1000;
    public const int MaxAlerts = 1000;

    private static readonly string[] Severities = ["critical", "error", "warning", "info"];

    public static (IReadOnlyList<AlertSignal> Signals, string? Error) Parse(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("alerts", out var alerts))
        {
            return ParseAlertmanager(alerts);
        }

        var items = body.ValueKind switch
        {
            JsonValueKind.Array => body.EnumerateArray().Select((e, i) => (Element: e, Path: $"[{i}]")).ToList(),
            JsonValueKind.Object => [(body, "")],
            _ => null,
        };
        if (items is null || items.Count == 0)
        {
            return ([], "body: expected an alert object, an array of them, or an Alertmanager webhook with `alerts`.");
        }

        if (items.Count > MaxAlerts)
        {
            return ([], $"body: at most {MaxAlerts} alerts per request.");
        }

        var signals = new List<AlertSignal>();
        foreach (var (element, path) in items)
        {
            var (signal, error) = ParseOurs(element, path);
            if (error is not null)
            {
                return ([], error);
            }

            signals.Add(signal!);
        }

        return (signals, null);
    }

    private static (AlertSignal? Signal, string? Error) ParseOurs(JsonElement element, string path)
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
            Time(element, "startsAt", Field("startsAt"), out var startsAt),
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

    private static (IReadOnlyList<AlertSignal>, string?) ParseAlertmanager(JsonElement alerts)
    {
        if (alerts.ValueKind != JsonValueKind.Array)
        {
            return ([], "alerts: expected an array.");
        }

        if (alerts.GetArrayLength() > MaxAlerts)
        {
            return ([], $"alerts: at most {MaxAlerts} alerts per request.");
        }

        var signals = new List<AlertSignal>();
        var i = 0;
        foreach (var alert in alerts.EnumerateArray())
        {
            var path = $"alerts[{i++}]";
            if (alert.ValueKind != JsonValueKind.Object)
            {
                return ([], $"{path}: expected an object.");
            }

            if (Text(alert, "status", $"{path}.status", required: true, out var status) is { } e1)
            {
                return ([], e1);
            }

            if (status is not ("firing" or "resolved"))
            {
                return ([], $"{path}.status: must be \"firing\" or \"resolved\", not \"{Short(status!)}\".");
            }

            var errors = new[]
            {
                Labels(alert, "labels", $"{path}.labels", out var labels),
                Labels(alert, "annotations", $"{path}.annotations", out var annotations),
                Time(alert, "startsAt", $"{path}.startsAt", out var startsAt),
                Text(alert, "fingerprint", $"{path}.fingerprint", required: false, out var fingerprint),
            };
            if (errors.FirstOrDefault(e => e is not null) is { } error)
            {
                return ([], error);
            }

            if (labels.Count == 0)
            {
                return ([], $"{path}.labels: required, with at least `alertname`.");
            }

            var title = annotations.GetValueOrDefault("summary") ?? labels.GetValueOrDefault("alertname") ?? "alert";
            var severity = labels.GetValueOrDefault("severity")?.ToLowerInvariant() is { } s && Severities.Contains(s) ? s : "warning";
            signals.Add(new AlertSignal(fingerprint ?? FingerprintOf(labels), status == "firing", title, severity, labels, startsAt,
                annotations.GetValueOrDefault("description"), "alertmanager"));
        }

        return (signals, null);
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

    private static string? Time(JsonElement element, string name, string path, out DateTimeOffset? value)
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

        // Alertmanager's "zero" time means unknown.
        value = parsed.Year <= 1 ? null : parsed;
        return null;
    }

    private static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
