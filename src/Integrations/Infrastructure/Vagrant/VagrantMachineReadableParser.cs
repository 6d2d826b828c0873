using System.Globalization;

namespace ChatOps.Integrations.Infrastructure.Vagrant;

/// <summary>
/// One line of <c>--machine-readable</c> output: <c>timestamp,target,type,data…</c>. The target is
/// the machine name (empty for the whole run); data fields are unescaped.
/// </summary>
internal sealed record VagrantRecord(DateTimeOffset Timestamp, string Target, string Type, IReadOnlyList<string> Data)
{
    public string DataAt(int index) => index < Data.Count ? Data[index] : "";
}

/// <summary>
/// Parses Vagrant's documented machine-readable format. Vagrant escapes commas inside data as
/// <c>%!(VAGRANT_COMMA)</c> and line breaks as the two characters <c>\n</c> (and <c>\r</c>), so a
/// record is always one line and splitting on commas is safe.
/// </summary>
internal static class VagrantMachineReadableParser
{
    private const string EscapedComma = "%!(VAGRANT_COMMA)";

    /// <summary>The record on <paramref name="line"/>, or <see langword="null"/> when the line is not one (a plugin's stray print).</summary>
    public static VagrantRecord? ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.TrimEnd('\r').Split(',');
        if (fields.Length < 3
            || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || fields[2].Length == 0)
        {
            return null;
        }

        return new VagrantRecord(
            DateTimeOffset.FromUnixTimeSeconds(seconds),
            Unescape(fields[1]),
            fields[2],
            [.. fields.Skip(3).Select(Unescape)]);
    }

    public static IReadOnlyList<VagrantRecord> Parse(IEnumerable<string> lines) =>
        [.. lines.Select(ParseLine).OfType<VagrantRecord>()];

    private static string Unescape(string field) => field
        .Replace(EscapedComma, ",", StringComparison.Ordinal)
        .Replace("\\n", "\n", StringComparison.Ordinal)
        .Replace("\\r", "\r", StringComparison.Ordinal);
}
