namespace ChatOps.Bot.Cli;

/// <summary>An option a command-line verb takes: a flag (<c>--socket-mode</c>) or one followed by a value (<c>--guild ID</c>).</summary>
/// <param name="Name">As typed, dashes included: <c>--guild</c>.</param>
/// <param name="Needs">
/// What the value must be, worded to follow "<c>--guild needs</c>", so one that is missing or malformed is refused with
/// what to give instead; null for a flag, which takes no value.
/// </param>
internal sealed record CliOption(string Name, string? Needs = null)
{
    public bool IsFlag => Needs is null;

    /// <summary>The refusal of arguments that leave out this option where the verb cannot do without it.</summary>
    public string Required() => $"{Name} is required: {Needs}.";

    /// <summary>The refusal of a value that is missing (<paramref name="got"/> null) or malformed: <c>--guild needs …; got 'x'.</c></summary>
    public string Refusal(string? got = null) => got is null ? $"{Name} needs {Needs}." : $"{Name} needs {Needs}; got '{got}'.";
}
