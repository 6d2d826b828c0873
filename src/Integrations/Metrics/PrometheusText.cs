using System.Globalization;
using System.Text;

namespace ChatOps.Integrations.Metrics;

/// <summary>
/// The spelling rules of the Prometheus text exposition format (version 0.0.4): metric and label
/// names, escaping in HELP text and label values, and sample values.
/// </summary>
public static class PrometheusText
{
    /// <summary>The Content-Type a scraper expects for this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>A metric name matches <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; anything else (the dots of <c>a.b</c>) becomes <c>_</c>.</summary>
    public static string MetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>A label name matches <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static string LabelName(string name) => Sanitize(name, allowColon: false);

    /// <summary>A counter is exposed with the <c>_total</c> suffix, added unless the name already ends with it.</summary>
    public static string CounterName(string name)
    {
        var sanitized = MetricName(name);
        return sanitized.EndsWith("_total", StringComparison.Ordinal) ? sanitized : sanitized + "_total";
    }

    /// <summary>HELP text escapes backslash and line feed.</summary>
    public static string EscapeHelp(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        EscapeHelp(value).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>A sample value: Go's float syntax, with <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c> spelled as the format requires.</summary>
    public static string Value(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The label set as <c>{a="1",b="2"}</c>, sorted by name so one series has one spelling whatever
    /// order the tags came in; empty when there are no labels.
    /// </summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder("{");
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var value = Convert.ToString(sorted[i].Value, CultureInfo.InvariantCulture) ?? "";
            text.Append(LabelName(sorted[i].Key)).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
        }

        return text.Append('}').ToString();
    }

    private static string Sanitize(string name, bool allowColon)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var text = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            text.Append('_');
        }

        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        return text.ToString();
    }
}
