using System.Text;

namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>
/// Turns an application command into the words the command parser reads, as a typed command would have them:
/// <c>/env up environment:test</c> becomes <c>env up test</c>. Values go in alone, where the parser places them by
/// what they are; an option the catalog understands only by name goes in as <c>name=value</c>; a value of several
/// words is quoted, unless it is itself <c>name=value</c> pairs (weights), which go in as typed.
/// </summary>
internal static class DiscordCommandText
{
    public static string Of(DiscordInteraction interaction, IDiscordCommandVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var text = new StringBuilder(string.Join(' ', interaction.Command));
        foreach (var option in interaction.Options)
        {
            var value = option.Value.Trim();
            if (value.Length == 0)
            {
                continue;
            }

            text.Append(' ');
            if (vocabulary.IsNamedOnly(interaction.Command, option.Name))
            {
                text.Append(option.Name).Append('=').Append(Quoted(value));
            }
            else
            {
                text.Append(IsPairs(value) ? value : Quoted(value));
            }
        }

        return text.ToString();
    }

    private static bool IsPairs(string value) =>
        value.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(word => word.IndexOf('=', StringComparison.Ordinal) > 0);

    private static string Quoted(string value)
    {
        if (!value.Any(char.IsWhiteSpace) && value[0] is not ('"' or '\''))
        {
            return value;
        }

        // A double quote closes wherever it is, so a value holding one is quoted with single quotes.
        return value.Contains('"', StringComparison.Ordinal) ? $"'{value}'" : $"\"{value}\"";
    }
}
