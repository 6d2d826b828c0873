using System.Globalization;
using System.Text.RegularExpressions;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary>
/// Parses what follows <c>/alert</c>: <c>list</c>, <c>ack &lt;id&gt;</c>, <c>resolve &lt;id&gt;</c>,
/// <c>mute &lt;matcher…&gt; &lt;duration&gt;</c>. Pure.
/// </summary>
public static partial class AlertArguments
{
    public static ParseOutcome Parse(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var command = CommandCatalog.AlertCommand;
        if (tokens.Count == 0)
        {
            return Done(command.Verbs[0], [], "alert list");
        }

        var word = tokens[0].ToLowerInvariant();
        var verb = command.Verbs.FirstOrDefault(v => v.Name == word || v.Aliases.Contains(word));
        if (verb is null)
        {
            var suggestion = Suggestions.Closest(word, command.Verbs.Select(v => v.Name));
            return suggestion is null
                ? new ParseFailure(CommandError.UnknownCommand, $"`/alert` knows {string.Join(", ", command.Verbs.Select(v => $"`{v.Name}`"))}, not `{Shorten(word)}`.")
                : new ParseFailure(CommandError.UnknownCommand, $"`/alert` has no `{Shorten(word)}`. Did you mean `/alert {suggestion}`?", word, suggestion)
                {
                    // Words join back as they were unless one was quoted around a space: then offer nothing rather than a different command.
                    Corrections = tokens.Skip(1).Any(t => t.Any(char.IsWhiteSpace)) ? [] : [string.Join(' ', new[] { "/alert", suggestion }.Concat(tokens.Skip(1)))],
                };
        }

        var rest = tokens.Skip(1).ToList();
        var text = $"alert {verb.Name}";
        switch (verb.Name)
        {
            case "list":
                return rest.Count == 0 ? Done(verb, [], text) : new ParseFailure(CommandError.BadArgCount, "`/alert list` takes no arguments.");
            case "ack" or "resolve":
                if (rest.Count == 0)
                {
                    return new NeedsArgument(text, verb, verb.Arguments[0], $"Which alert should I {(verb.Name == "ack" ? "acknowledge" : "resolve")}? Its number, like `42`.");
                }

                if (rest.Count > 1 || !long.TryParse(rest[0].TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
                {
                    return new ParseFailure(CommandError.ParseFailed, $"`{Shorten(string.Join(' ', rest))}` is not an alert number. Usage: `/alert {verb.Usage}`");
                }

                return Done(verb, new() { ["id"] = id.ToString(CultureInfo.InvariantCulture) }, $"{text} {id}");
            default:
                if (rest.Count < 2)
                {
                    return new ParseFailure(CommandError.BadArgCount, $"Say which alerts and for how long. Usage: `/alert {verb.Usage}`, e.g. `/alert mute alertname=DiskFull 2h`.");
                }

                if (!TryParseDuration(rest[^1], out var duration))
                {
                    return new ParseFailure(CommandError.ParseFailed, $"`{Shorten(rest[^1])}` is not a duration: use minutes, hours or days, like `30m`, `2h`, `1d`.");
                }

                var matcherText = string.Join(',', rest.Take(rest.Count - 1));
                if (!AlertMatcher.TryParse(matcherText, out var matcher, out var error))
                {
                    return new ParseFailure(CommandError.ParseFailed, error);
                }

                return Done(verb, new()
                {
                    ["matcher"] = matcher.Text,
                    ["duration"] = duration.ToString("c", CultureInfo.InvariantCulture),
                }, $"{text} {matcher.Text} {rest[^1]}");
        }
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
        new(new CommandInvocation(CommandCatalog.AlertCommand, verb, values, new Dictionary<string, int>(), text));

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex(@"^(?:(?<d>\d{1,3})d)?(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,5})m(?:in)?)?(?:(?<s>\d{1,6})s)?\z")]
    private static partial Regex DurationPattern();
}
