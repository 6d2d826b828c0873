using System.Globalization;
using System.Text.RegularExpressions;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary>How the words after an <c>/alert</c> verb become its arguments: none, an alert number, or a matcher and a duration. Pure.</summary>
internal static partial class AlertArguments
{
    /// <summary><c>/alert list</c>: nothing after the verb.</summary>
    public static ParseOutcome None(VerbDefinition verb, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(words);
        return words.Count == 0 ? Done(verb, [], verb.Key) : new ParseFailure(CommandError.BadArgCount, $"`/{verb.Key}` takes no arguments.");
    }

    /// <summary><c>/alert ack 42</c>: one alert number; without one, a question using <paramref name="doing"/> ("acknowledge").</summary>
    public static Func<VerbDefinition, IReadOnlyList<string>, ParseOutcome> Number(string doing) => (verb, words) =>
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0)
        {
            return new NeedsArgument(verb.Key, verb, verb.Arguments[0], $"Which alert should I {doing}? Its number, like `42`.");
        }

        if (words.Count > 1 || !long.TryParse(words[0].TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return new ParseFailure(CommandError.ParseFailed, $"`{Shorten(string.Join(' ', words))}` is not an alert number. Usage: `{verb.SlashUsage}`");
        }

        return Done(verb, new() { [AlertCommands.IdArgument] = id.ToString(CultureInfo.InvariantCulture) }, $"{verb.Key} {id}");
    };

    /// <summary><c>/alert mute alertname=DiskFull 2h</c>: a matcher (label pairs or an alert number), then a duration.</summary>
    public static ParseOutcome MatcherAndDuration(VerbDefinition verb, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count < 2)
        {
            return new ParseFailure(CommandError.BadArgCount, $"Say which alerts and for how long. Usage: `{verb.SlashUsage}`, e.g. `/{verb.Key} alertname=DiskFull 2h`.");
        }

        if (!TryParseDuration(words[^1], out var duration))
        {
            return new ParseFailure(CommandError.ParseFailed, $"`{Shorten(words[^1])}` is not a duration: use minutes, hours or days, like `30m`, `2h`, `1d`.");
        }

        var matcherText = string.Join(',', words.Take(words.Count - 1));
        if (!AlertMatcher.TryParse(matcherText, out var matcher, out var error))
        {
            return new ParseFailure(CommandError.ParseFailed, error);
        }

        return Done(verb, new()
        {
            [AlertMuteCommand.MatcherArgument] = matcher.Text,
            [AlertMuteCommand.DurationArgument] = duration.ToString("c", CultureInfo.InvariantCulture),
        }, $"{verb.Key} {matcher.Text} {words[^1]}");
    }

    /// <summary>The alert number of a parsed <c>ack</c> or <c>resolve</c>.</summary>
    public static long Id(CommandInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return long.Parse(invocation[AlertCommands.IdArgument]!, CultureInfo.InvariantCulture);
    }

    /// <summary><c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1d</c>, <c>1h30m</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        var match = DurationPattern().Match(text.ToLowerInvariant());
        if (!match.Success || match.Length == 0)
        {
            return false;
        }

        double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        duration = TimeSpan.FromDays(Part("d")) + TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
        return duration > TimeSpan.Zero;
    }

    private static Parsed Done(VerbDefinition verb, Dictionary<string, string> values, string text) =>
        new(new CommandInvocation(verb, values, new Dictionary<string, int>(), text));

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex(@"^(?:(?<d>\d{1,3})d)?(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,5})m(?:in)?)?(?:(?<s>\d{1,6})s)?\z")]
    private static partial Regex DurationPattern();
}
