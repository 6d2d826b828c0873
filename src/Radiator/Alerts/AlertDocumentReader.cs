using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChatOps.Radiator.Alerts;

/// <summary>Turns one alert document into an <see cref="AlertSignal"/> through a <see cref="AlertFieldMapping"/>. Pure.</summary>
internal static class AlertDocumentReader
{
    public static AlertSignal? Read(JsonElement source, AlertFieldMapping mapping, string sourceName, TimeSpan? age = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if (source.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var parts = mapping.FingerprintFields.Select(f => Text(source, f)).ToList();
        if (parts.All(p => p is null))
        {
            return null; // nothing identifies the alert: it could never be updated or resolved
        }

        var status = mapping.StatusField is null ? null : Values(source, mapping.StatusField);
        var resolved = status is not null && status.Any(s => mapping.ResolvedValues.Contains(s, StringComparer.OrdinalIgnoreCase));
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (label, field) in mapping.Labels)
        {
            if (Text(source, field) is { } value)
            {
                labels[label] = value;
            }
        }

        var fingerprint = $"{sourceName}:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts.Select(p => p ?? ""))))[..8]);
        return new AlertSignal(fingerprint, !resolved, Text(source, mapping.TitleField) ?? "alert",
            Severity(mapping.SeverityField is null ? null : Field(source, mapping.SeverityField)), labels,
            mapping.StartField is null ? null : Time(Field(source, mapping.StartField)), mapping.DescriptionField is null ? null : Text(source, mapping.DescriptionField),
            "elasticsearch");
    }

    public static DateTimeOffset? Time(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } s when DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => t,
        { ValueKind: JsonValueKind.Number } n => DateTimeOffset.FromUnixTimeMilliseconds(n.GetInt64()),
        _ => null,
    };

    /// <summary>Reads <c>a.b.c</c> as one dotted property name (as Elasticsearch allows) or as nested objects.</summary>
    public static JsonElement? Field(JsonElement source, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (source.ValueKind == JsonValueKind.Object && source.TryGetProperty(path, out var direct))
        {
            return direct;
        }

        var dot = path.IndexOf('.', StringComparison.Ordinal);
        while (dot > 0)
        {
            if (source.ValueKind == JsonValueKind.Object && source.TryGetProperty(path[..dot], out var head) && Field(head, path[(dot + 1)..]) is { } found)
            {
                return found;
            }

            dot = path.IndexOf('.', dot + 1);
        }

        return null;
    }

    private static string? Text(JsonElement source, string field) => Field(source, field) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Array } a => a.EnumerateArray().Select(e => e.ToString()).FirstOrDefault(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } other => other.ToString(),
        null => null,
    };

    private static List<string>? Values(JsonElement source, string field) => Field(source, field) switch
    {
        { ValueKind: JsonValueKind.Array } a => [.. a.EnumerateArray().Select(e => e.ToString())],
        { ValueKind: JsonValueKind.String } s => [s.GetString()!],
        _ => null,
    };

    /// <summary>Words as they are; ECS's numeric 0-100 <c>event.severity</c> in four bands.</summary>
    private static string Severity(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } n => n.GetDouble() switch { >= 74 => "critical", >= 48 => "error", >= 22 => "warning", _ => "info" },
        { ValueKind: JsonValueKind.String } s => s.GetString()!.ToLowerInvariant() switch
        {
            "critical" or "high" or "fatal" => "critical",
            "error" or "major" => "error",
            "info" or "low" or "informational" => "info",
            _ => "warning",
        },
        _ => "warning",
    };
}
