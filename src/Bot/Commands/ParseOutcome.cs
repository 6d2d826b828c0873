namespace ChatOps.Bot.Commands;

/// <summary>What the parser made of a message.</summary>
internal abstract record ParseOutcome;

/// <summary>A complete command, arguments checked.</summary>
internal sealed record Parsed(CommandInvocation Invocation) : ParseOutcome;

/// <summary>A command missing one argument; <see cref="Question"/> asks for it, and the answer completes <see cref="Text"/>.</summary>
internal sealed record NeedsArgument(string Text, VerbDefinition Verb, ArgumentDefinition Missing, string Question) : ParseOutcome;

/// <summary>Help was asked for, optionally about one verb.</summary>
internal sealed record HelpRequested(string? Topic) : ParseOutcome;

/// <summary>
/// The message could not be made into a command; <see cref="Message"/> says why, for the user. When a word
/// looked misspelt (<see cref="Misspelt"/>, the closest known word <see cref="Suggestion"/>),
/// <see cref="Corrections"/> holds the whole command as it was probably meant, to offer as a button.
/// </summary>
internal sealed record ParseFailure(CommandError Error, string Message, string? Misspelt = null, string? Suggestion = null) : ParseOutcome
{
    public IReadOnlyList<string> Corrections { get; init; } = [];
}

/// <summary>A parsed command: the verb and its argument values, by argument name; each command reads them into its own typed record.</summary>
internal sealed record CommandInvocation(
    VerbDefinition Verb,
    IReadOnlyDictionary<string, string> Values,
    IReadOnlyDictionary<string, int> Weights,
    string Text)
{
    public const string EnvironmentArgument = "env";

    public string? Environment => Values.GetValueOrDefault(EnvironmentArgument);

    public string? this[string name] => Values.GetValueOrDefault(name);
}

/// <summary>Why a command did not run; each kind gets its own wording.</summary>
internal enum CommandError
{
    UnknownCommand,
    UnknownEnvironment,
    ParseFailed,
    BadArgCount,
    Unauthorized,
    Refused,
    Failed,
}
