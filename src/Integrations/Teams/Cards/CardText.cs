using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Teams.Cards;

/// <summary>
/// Our small Markdown subset (<c>*bold*</c>, <c>`code`</c>, line breaks, <see cref="ChatTime"/> marks, Teams
/// <c>&lt;at&gt;id&lt;/at&gt;</c> mentions) as Adaptive Card TextBlock markdown. Everything else is escaped, so text
/// from outside (an alert title, an environment name) can never turn into a link, a list or a heading.
/// </summary>
internal static partial class CardText
{
    /// <summary>
    /// One line as TextBlock markdown: bold doubled to <c>**…**</c> (Adaptive Cards read a single star as
    /// italics), code kept between backticks (TextBlock markdown has no code span, and the backticks still say
    /// "type this"), each time as the card's own <c>DATE</c>/<c>TIME</c> functions, which Teams shows in the
    /// reader's time zone, and mentions as <paramref name="mention"/> renders them.
    /// </summary>
    public static string Markdown(string line, Func<string, string> mention)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(mention);
        return ChatTime.Render(line, stretch => Stretch(stretch, mention), (at, _) => Time(at));
    }

    /// <summary>The line as plain text for notifications and fallbacks: no markup, times in the one absolute format.</summary>
    public static string Plain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = ChatTime.Plain(text);
        plain = Mention().Replace(plain, m => "@" + m.Groups["id"].Value);
        return Bold().Replace(plain, m => m.Groups["inner"].Value);
    }

    /// <summary>The ids mentioned as <c>&lt;at&gt;id&lt;/at&gt;</c>, in order, each once.</summary>
    public static IReadOnlyList<string> Mentions(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Mention().Matches(text).Select(m => m.Groups["id"].Value).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Escapes the characters TextBlock markdown reads as markup (emphasis, links, strike-through) and the braces of
    /// its functions. Only those: the escape shows as a stray backslash on a client that does not expect it.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '[' or ']' or '~' or '{' or '}')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>A moment as the card's date and time functions (RFC 3339, UTC), localised by the client.</summary>
    public static string Time(DateTimeOffset at)
    {
        var iso = at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"{{{{DATE({iso}, SHORT)}}}} {{{{TIME({iso})}}}}";
    }

    private static string Stretch(string stretch, Func<string, string> mention)
    {
        var result = new StringBuilder(stretch.Length + 8);
        var last = 0;
        foreach (Match match in Markup().Matches(stretch))
        {
            result.Append(Escape(stretch[last..match.Index]));
            if (match.Groups["mention"].Success)
            {
                result.Append(mention(match.Groups["mention"].Value));
            }
            else if (match.Groups["code"].Success)
            {
                // Inside a code span nothing is markup, and a star stays a star.
                result.Append('`').Append(Escape(match.Groups["code"].Value)).Append('`');
            }
            else
            {
                result.Append("**").Append(Escape(match.Groups["bold"].Value)).Append("**");
            }

            last = match.Index + match.Length;
        }

        result.Append(Escape(stretch[last..]));
        return result.ToString();
    }

    [GeneratedRegex(@"<at>(?<mention>[^<>]{1,200})</at>|`(?<code>[^`\n]+)`|\*(?<bold>[^*\n]+)\*", RegexOptions.CultureInvariant)]
    private static partial Regex Markup();

    [GeneratedRegex(@"<at>(?<id>[^<>]{1,200})</at>", RegexOptions.CultureInvariant)]
    private static partial Regex Mention();

    [GeneratedRegex(@"\*(?<inner>[^*\n]+)\*", RegexOptions.CultureInvariant)]
    private static partial Regex Bold();
}
