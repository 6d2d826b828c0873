using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatOps.Bot.Commands;

/// <summary>
/// Turns what people type (<c>/env up test</c>, <c>env up test</c>, <c>@bot bring up dev</c>,
/// <c>put prod in sorry mode</c>) into a checked <see cref="CommandInvocation"/>, a question for a
/// missing argument, or a specific reason why not. Pure: no I/O, no state.
/// </summary>
internal sealed partial class CommandParser(CommandCatalog catalog, IReadOnlyCollection<string> environments, string botName = "bot")
{
    /// <summary>Words that carry no meaning for any verb and are skipped where an argument is expected.</summary>
    private static readonly HashSet<string> Fillers = new(StringComparer.OrdinalIgnoreCase)
        { "please", "pls", "kindly", "the", "environment", "env", "now", "to", "for", "me", "in", "of", "thanks", "thank", "you" };

    /// <summary>Polite openings skipped before the verb.</summary>
    private static readonly HashSet<string> Openings = new(StringComparer.OrdinalIgnoreCase)
        { "please", "pls", "kindly", "can", "could", "would", "will", "you", "hey", "hi", "ok", "okay", "go", "and" };

    // The words of every verb's names and phrases, split once: a parse only compares them.
    private readonly Dictionary<CommandGroup, (VerbDefinition Verb, string[] Words)[]> _names = catalog.Groups.ToDictionary(g => g, g => catalog.VerbsOf(g)
        .SelectMany(v => new[] { v.Name }.Concat(v.Aliases).Select(a => (Verb: v, Words: a.Split(' '))))
        .OrderByDescending(a => a.Words.Length)
        .ToArray());

    private readonly Dictionary<CommandGroup, (VerbDefinition Verb, Phrase Phrase, string[] Pattern)[]> _phrases = catalog.Groups.ToDictionary(g => g, g => catalog.VerbsOf(g)
        .SelectMany(v => v.Phrases.Select(p => (Verb: v, Phrase: p, Pattern: p.Pattern.Split(' '))))
        .ToArray());

    public const int MaxVersionLength = 64;
    public const int MaxTextLength = 500;
    public const int MaxWeight = 256;

    public ParseOutcome Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (tokens, unclosed) = Tokenizer.Tokenize(StripAddress(text.Trim()));
        if (unclosed is not null)
        {
            return new ParseFailure(CommandError.ParseFailed, unclosed);
        }

        TrimPunctuation(tokens);
        if (tokens.Count == 0)
        {
            return new HelpRequested(null);
        }

        var first = tokens[0].ToLowerInvariant();
        if (CommandCatalog.HelpGroup.Matches(first))
        {
            return new HelpRequested(tokens.Count > 1 ? tokens[1].ToLowerInvariant() : null);
        }

        var group = catalog.FindGroup(first);
        if (group is { IsConversational: false })
        {
            return ParseGroup(group, tokens.Skip(1).ToList());
        }

        if (group is not null)
        {
            tokens.RemoveAt(0);
        }

        while (tokens.Count > 0 && Openings.Contains(tokens[0]))
        {
            tokens.RemoveAt(0);
        }

        if (tokens.Count == 0 || catalog.Conversational is not { } conversational)
        {
            return new HelpRequested(null);
        }

        var normalized = string.Join(' ', tokens);
        var outcome = MatchPhrase(conversational, tokens, normalized) ?? MatchVerb(conversational, tokens, normalized);
        return outcome is ParseFailure { Misspelt: { } wrong, Suggestion: { } right } failure && Corrected(conversational, tokens, wrong, right) is { } corrected
            ? failure with { Corrections = [corrected] }
            : outcome;
    }

    /// <summary>
    /// The command with the first occurrence of <paramref name="wrong"/> (a word, or a <c>key=</c> value)
    /// replaced by <paramref name="right"/>, quoted where needed so it parses back into the same words.
    /// </summary>
    private static string? Corrected(CommandGroup group, List<string> tokens, string wrong, string right)
    {
        var words = new List<string>(tokens);
        var index = words.FindIndex(w => w.Equals(wrong, StringComparison.OrdinalIgnoreCase)
                                         || (w.IndexOf('=', StringComparison.Ordinal) is var eq && eq > 0 && w[(eq + 1)..].Equals(wrong, StringComparison.OrdinalIgnoreCase)));
        if (index < 0)
        {
            return null;
        }

        var equals = words[index].IndexOf('=', StringComparison.Ordinal);
        words[index] = equals > 0 && !words[index].Equals(wrong, StringComparison.OrdinalIgnoreCase) ? words[index][..(equals + 1)] + right : right;
        return $"/{group.Name} " + string.Join(' ', words.Select(Quoted));
    }

    private static string Quoted(string word)
    {
        if (!word.Any(char.IsWhiteSpace))
        {
            return word;
        }

        var equals = word.IndexOf('=', StringComparison.Ordinal);
        var quote = word.Contains('"', StringComparison.Ordinal) ? '\'' : '"';
        return equals > 0 && !word[..equals].Any(char.IsWhiteSpace) ? $"{word[..(equals + 1)]}{quote}{word[(equals + 1)..]}{quote}" : $"{quote}{word}{quote}";
    }

    private ParseOutcome? MatchPhrase(CommandGroup group, List<string> tokens, string normalized)
    {
        var meaningful = tokens.Where(t => !Fillers.Contains(t) || t.Equals("in", StringComparison.OrdinalIgnoreCase) || t.Equals("of", StringComparison.OrdinalIgnoreCase) || t.Equals("to", StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var (verb, phrase, pattern) in _phrases[group])
        {
            if (!Fits(pattern, meaningful))
            {
                continue;
            }

            var captured = new Dictionary<string, string>(phrase.Implies ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < pattern.Length; i++)
            {
                if (IsCapture(pattern[i]))
                {
                    captured[pattern[i].Trim('{', '}')] = meaningful[i];
                }
            }

            // The phrase fixes the words; its captures are checked like any argument.
            var env = captured.GetValueOrDefault(CommandInvocation.EnvironmentArgument);
            var rest = new List<string>();
            if (env is not null)
            {
                rest.Add(env);
            }

            rest.AddRange(captured.Where(c => c.Key != CommandInvocation.EnvironmentArgument).Select(c => $"{c.Key}={c.Value}"));
            return ParseArguments(verb, rest, normalized);
        }

        return null;
    }

    private static bool IsCapture(string patternWord) => patternWord.StartsWith('{');

    /// <summary>Whether <paramref name="words"/> are as many as <paramref name="pattern"/>'s, and equal to it wherever it does not capture.</summary>
    private static bool Fits(string[] pattern, List<string> words)
    {
        if (pattern.Length != words.Count)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (!IsCapture(pattern[i]) && !pattern[i].Equals(words[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private ParseOutcome MatchVerb(CommandGroup group, List<string> tokens, string normalized)
    {
        foreach (var (verb, alias) in _names[group])
        {
            if (StartsWith(tokens, alias))
            {
                return ParseArguments(verb, tokens.Skip(alias.Length).ToList(), normalized);
            }
        }

        var word = tokens[0];
        var suggestion = Suggestions.Closest(word, catalog.VerbsOf(group).SelectMany(v => new[] { v.Name }.Concat(v.Aliases.Where(a => !a.Contains(' ', StringComparison.Ordinal)))));
        return suggestion is not null
            ? new ParseFailure(CommandError.UnknownCommand, $"I don't know `{word}`. Did you mean `{suggestion}`?", word, suggestion)
            : new ParseFailure(CommandError.UnknownCommand, $"I don't know what `{Shorten(normalized)}` means.");
    }

    private static bool StartsWith(List<string> tokens, string[] words)
    {
        if (tokens.Count < words.Length)
        {
            return false;
        }

        for (var i = 0; i < words.Length; i++)
        {
            if (!words[i].Equals(tokens[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private ParseOutcome ParseArguments(VerbDefinition verb, List<string> tokens, string normalized)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var weights = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var envArg = verb.Arguments.FirstOrDefault(a => a.Kind == ArgumentKind.Environment);
        var textArg = verb.Arguments.FirstOrDefault(a => a.Kind == ArgumentKind.Text && a.Positional);
        var weightsArg = verb.Arguments.FirstOrDefault(a => a.Kind == ArgumentKind.Weights);

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var lower = token.ToLowerInvariant();
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                var key = token[..equals].ToLowerInvariant();
                var value = token[(equals + 1)..];
                var named = verb.Arguments.FirstOrDefault(a => a.Name.Equals(key, StringComparison.OrdinalIgnoreCase) && a.Kind != ArgumentKind.Weights);
                if (named is not null)
                {
                    if (Check(verb, named, value) is { } failure)
                    {
                        return failure;
                    }

                    values[named.Name] = named.Kind is ArgumentKind.Environment or ArgumentKind.Choice ? value.ToLowerInvariant() : value;
                }
                else if (weightsArg is not null)
                {
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight > MaxWeight)
                    {
                        return new ParseFailure(CommandError.ParseFailed, $"The weight of `{key}` must be a whole number from 0 to {MaxWeight}, not `{Shorten(value)}`.");
                    }

                    weights[key] = weight;
                }
                else
                {
                    return new ParseFailure(CommandError.ParseFailed, $"`{verb.Name}` has no argument `{Shorten(key)}`. Usage: `{verb.SlashUsage}`");
                }

                continue;
            }

            if (envArg is not null && !values.ContainsKey(envArg.Name) && environments.Contains(lower))
            {
                values[envArg.Name] = lower;
            }
            else if (textArg is not null && (envArg is null || values.ContainsKey(envArg.Name)))
            {
                var text = string.Join(' ', tokens.Skip(i));
                if (Check(verb, textArg, text) is { } failure)
                {
                    return failure;
                }

                values[textArg.Name] = text;
                break;
            }
            else if (verb.Arguments.FirstOrDefault(a => a.Kind == ArgumentKind.Choice && !values.ContainsKey(a.Name) && a.AllowedValues.Contains(lower)) is { } choice)
            {
                values[choice.Name] = lower;
            }
            else if (verb.Arguments.FirstOrDefault(a => a.Kind == ArgumentKind.Version && a.Positional && !values.ContainsKey(a.Name)) is { } version
                     && (envArg is null || values.ContainsKey(envArg.Name)))
            {
                if (Check(verb, version, token) is { } failure)
                {
                    return failure;
                }

                values[version.Name] = token;
            }
            else if (Fillers.Contains(lower))
            {
                continue;
            }
            else if (envArg is not null && !values.ContainsKey(envArg.Name))
            {
                return UnknownEnvironment(token);
            }
            else
            {
                return new ParseFailure(CommandError.BadArgCount, $"I did not expect `{Shorten(token)}` there. Usage: `{verb.SlashUsage}`");
            }
        }

        foreach (var argument in verb.Arguments.Where(a => a.Required && !values.ContainsKey(a.Name)))
        {
            return new NeedsArgument(normalized, verb, argument, Question(verb, argument));
        }

        return new Parsed(new CommandInvocation(verb, values, weights, normalized));
    }

    private ParseFailure? Check(VerbDefinition verb, ArgumentDefinition argument, string value) => argument.Kind switch
    {
        ArgumentKind.Environment when !environments.Contains(value.ToLowerInvariant()) => UnknownEnvironment(value),
        ArgumentKind.Version when value.Length > MaxVersionLength || !VersionPattern().IsMatch(value) =>
            new ParseFailure(CommandError.ParseFailed, $"`{Shorten(value)}` is not a version: use letters, digits, dots, dashes, underscores or plus signs (at most {MaxVersionLength}), starting with a letter or digit."),
        ArgumentKind.Choice when !argument.AllowedValues.Contains(value.ToLowerInvariant()) =>
            new ParseFailure(CommandError.ParseFailed, $"`{argument.Name}` must be {string.Join(" or ", argument.AllowedValues.Select(v => $"`{v}`"))}, not `{Shorten(value)}`."),
        ArgumentKind.Text when value.Length > MaxTextLength =>
            new ParseFailure(CommandError.ParseFailed, $"`{argument.Name}` is too long ({value.Length} characters; at most {MaxTextLength})."),
        ArgumentKind.Text when value.Any(char.IsControl) =>
            new ParseFailure(CommandError.ParseFailed, $"`{argument.Name}` must be plain text on one line."),
        _ => null,
    };

    private ParseFailure UnknownEnvironment(string value)
    {
        var suggestion = Suggestions.Closest(value, environments);
        var known = string.Join(", ", environments.Order(StringComparer.Ordinal).Select(e => $"`{e}`"));
        return suggestion is not null
            ? new ParseFailure(CommandError.UnknownEnvironment, $"There is no environment `{Shorten(value)}`. Did you mean `{suggestion}`?", value, suggestion)
            : new ParseFailure(CommandError.UnknownEnvironment, $"There is no environment `{Shorten(value)}`. Known environments: {known}.");
    }

    private string Question(VerbDefinition verb, ArgumentDefinition argument) => argument.Kind switch
    {
        ArgumentKind.Environment => $"Which environment should I {verb.Name}? {string.Join(", ", environments.Order(StringComparer.Ordinal).Select(e => $"`{e}`"))}",
        ArgumentKind.Choice => $"{argument.Help}: {string.Join(" or ", argument.AllowedValues.Select(v => $"`{v}`"))}?",
        _ => $"What {argument.Name}? ({argument.Help})",
    };

    private string StripAddress(string text)
    {
        if (text.StartsWith('/'))
        {
            text = text[1..];
        }

        var mention = $"@{botName}";
        foreach (var prefix in new[] { mention, botName + ",", botName + ":" })
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return text[prefix.Length..].TrimStart(',', ':', ' ');
            }
        }

        return text;
    }

    private static void TrimPunctuation(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].Contains('=', StringComparison.Ordinal))
            {
                tokens[i] = tokens[i].TrimEnd('.', '!', '?', ',');
            }
        }

        tokens.RemoveAll(t => t.Length == 0);
    }

    /// <summary>
    /// What follows a group's word (<c>/alert ack 42</c>, <c>/pulse</c>): the group's verb and the words the verb's
    /// definition reads, or a specific reason.
    /// </summary>
    private ParseOutcome ParseGroup(CommandGroup group, List<string> words)
    {
        VerbDefinition? verb;
        if (group.IsVerb)
        {
            verb = catalog.VerbsOf(group).Single();
        }
        else if (words.Count == 0)
        {
            verb = catalog.VerbsOf(group).FirstOrDefault(v => v.IsGroupDefault);
            if (verb is null)
            {
                return new HelpRequested(null);
            }
        }
        else
        {
            var word = words[0].ToLowerInvariant();
            verb = catalog.FindVerb(group, word);
            if (verb is null)
            {
                var names = catalog.VerbsOf(group).Select(v => v.Name).ToList();
                var suggestion = Suggestions.Closest(word, names);
                return suggestion is null
                    ? new ParseFailure(CommandError.UnknownCommand, $"`/{group.Name}` knows {string.Join(", ", names.Select(n => $"`{n}`"))}, not `{Shorten(word)}`.")
                    : new ParseFailure(CommandError.UnknownCommand, $"`/{group.Name}` has no `{Shorten(word)}`. Did you mean `/{group.Name} {suggestion}`?", word, suggestion)
                    {
                        // Words join back as they were unless one was quoted around a space: then offer nothing rather than a different command.
                        Corrections = words.Skip(1).Any(t => t.Any(char.IsWhiteSpace)) ? [] : [string.Join(' ', new[] { $"/{group.Name}", suggestion }.Concat(words.Skip(1)))],
                    };
            }

            words.RemoveAt(0);
        }

        if (verb.ParseWords is { } parseWords)
        {
            return parseWords(verb, words);
        }

        return words.Count == 0
            ? new Parsed(new CommandInvocation(verb, new Dictionary<string, string>(), new Dictionary<string, int>(), verb.Key))
            : new ParseFailure(CommandError.BadArgCount, $"`/{verb.Key}` takes no arguments: {char.ToLowerInvariant(verb.Summary[0])}{verb.Summary[1..]}");
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+\-]*\z")]
    private static partial Regex VersionPattern();
}
