using System.Text;

namespace ChatOps.Bot.Commands;

/// <summary>
/// Splits a message into words, keeping quoted text (straight or typographic quotes) together,
/// also after <c>key=</c>. Nothing is ever interpreted: a token is data.
/// </summary>
public static class Tokenizer
{
    public static List<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var quoted = false;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote || (quote == '“' && c == '”'))
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'' or '“' && (current.Length == 0 || current[^1] == '='))
            {
                quote = c;
                quoted = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                Flush();
            }
            else
            {
                current.Append(c);
            }
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (current.Length > 0 || quoted)
            {
                tokens.Add(current.ToString());
            }

            current.Clear();
            quoted = false;
        }
    }
}
