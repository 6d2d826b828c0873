namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>
/// What only the bot's command catalog knows about the application commands it registered, asked while an
/// interaction is translated: the host implements it (Integrations knows no catalog).
/// </summary>
public interface IDiscordCommandVocabulary
{
    /// <summary>
    /// True when option <paramref name="option"/> of the command <paramref name="command"/> (its name, then any
    /// subcommand group and subcommand) is understood only as <c>name=value</c>; false when its value alone is.
    /// </summary>
    bool IsNamedOnly(IReadOnlyList<string> command, string option);

    /// <summary>
    /// Values to offer while <paramref name="option"/> of <paramref name="command"/> is being typed, best first,
    /// given what has been typed so far; empty when the option has none.
    /// </summary>
    IReadOnlyList<string> Suggest(IReadOnlyList<string> command, string option, string typed);
}
