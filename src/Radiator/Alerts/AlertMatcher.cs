using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// Which alerts a silence covers: <c>label=value</c> pairs separated by commas, all of which must hold
/// (a trailing <c>*</c> matches a prefix), or an alert id (<c>42</c>). <c>severity</c>, <c>fingerprint</c>
/// and <c>title</c> match the alert's own fields.
/// </summary>
public sealed record AlertMatcher(string Text, IReadOnlyList<KeyValuePair<string, string>> Pairs, long? Id)
{
    public const int MaxLength = 200;

    public static bool TryParse(string? text, [NotNullWhen(true)] out AlertMatcher? matcher, [NotNullWhen(false)] out string? error)
    {
        matcher = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "Say which alerts: `label=value` (comma-separated, all must match) or an alert id.";
            return false;
        }

        if (text.Length > MaxLength || text.Any(char.IsControl))
        {
            error = $"A matcher is one line of at most {MaxLength} characters.";
            return false;
        }

        var bare = text.TrimStart('#');
        if (long.TryParse(bare, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            matcher = new AlertMatcher($"#{id}", [], id);
            error = null;
            return true;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1)
            {
                error = $"`{part}` is not `label=value`.";
                return false;
            }

            pairs.Add(new(part[..equals].Trim(), part[(equals + 1)..].Trim().Trim('"')));
        }

        matcher = new AlertMatcher(string.Join(",", pairs.Select(p => $"{p.Key}={p.Value}")), pairs, null);
        error = null;
        return true;
    }

    public bool Matches(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (Id is { } id)
        {
            return alert.Id == id;
        }

        return Pairs.All(p => Value(alert, p.Key) is { } value && Same(value, p.Value));
    }

    private static string? Value(Alert alert, string key) => key.ToLowerInvariant() switch
    {
        "severity" => alert.Severity,
        "fingerprint" => alert.Fingerprint,
        "title" => alert.Title,
        _ => alert.Labels.FirstOrDefault(l => l.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value,
    };

    private static bool Same(string value, string pattern) => pattern.EndsWith('*')
        ? value.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
        : value.Equals(pattern, StringComparison.OrdinalIgnoreCase);
}
