using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatOps.Integrations.Chat;

/// <summary>
/// A moment in a message's text (<see cref="OutgoingMessage.Text"/> or a context line), kept as a typed
/// element so each platform shows it the way its people read times: Slack in the reader's own time zone
/// (<c>&lt;!date^…&gt;</c>), the web chat as "3 minutes ago" with the exact time beside it. Written as
/// <c>&lt;time:{unix seconds}|{fallback}&gt;</c>; anything that cannot show it shows the fallback, one
/// absolute format for everyone (<c>2026-12-06 16:31 UTC</c>).
/// </summary>
public static partial class ChatTime
{
    /// <summary>The element for <paramref name="at"/>, to be put in a message's text.</summary>
    public static string Mark(DateTimeOffset at) => $"<time:{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}|{Fallback(at)}>";

    /// <summary>The one absolute format, for readers and platforms that cannot show a local time.</summary>
    public static string Fallback(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Renders the text piece by piece: <paramref name="text"/> for the stretches between times (so a
    /// platform can escape them), <paramref name="time"/> for each time with its fallback.
    /// </summary>
    public static string Render(string value, Func<string, string> text, Func<DateTimeOffset, string, string> time)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(time);
        var result = new StringBuilder(value.Length);
        var last = 0;
        foreach (Match match in Element().Matches(value))
        {
            result.Append(text(value[last..match.Index]));
            var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(match.Groups["unix"].ValueSpan, CultureInfo.InvariantCulture));
            result.Append(time(at, match.Groups["fallback"].Value));
            last = match.Index + match.Length;
        }

        result.Append(text(value[last..]));
        return result.ToString();
    }

    /// <summary>The text with every time written as its fallback: logs, digests, plain-text platforms.</summary>
    public static string Plain(string value) => Render(value, t => t, (_, fallback) => fallback);

    /// <summary>The times in the text, in order, with the fallback that stands for each in <see cref="Plain"/>.</summary>
    public static IReadOnlyList<(DateTimeOffset At, string Fallback)> Find(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return [.. Element().Matches(value).Select(m => (DateTimeOffset.FromUnixTimeSeconds(long.Parse(m.Groups["unix"].ValueSpan, CultureInfo.InvariantCulture)), m.Groups["fallback"].Value))];
    }

    // Seconds since the epoch, within DateTimeOffset's range (at most 11 digits, never negative); the fallback never holds '<', '>' or '|'.
    [GeneratedRegex(@"<time:(?<unix>[0-9]{1,11})\|(?<fallback>[^<>|]{1,40})>", RegexOptions.CultureInvariant)]
    private static partial Regex Element();
}
