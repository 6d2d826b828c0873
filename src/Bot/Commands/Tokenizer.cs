using System.Text;

namespace ChatOps.Bot.Commands;

/// <summary>Words of a message, or why they could not be told apart (a quote that is never closed).</summary>
internal sealed record Tokens(List<string> Words, string? Error = null);

/// <summary>
/// Splits a message into words, keeping quoted text (straight or typographic quotes) together,
/// also after <c>key=</c>. Nothing is ever interpreted: a token is data.
/// </summary>
/// <remarks>
/// A quote opens only at the start of a word (or right after <c>=</c>), and a single quote closes only
/// where a word ends, so the apostrophes in <c>don't</c> and <c>message='we're back'</c> are text. A
/// quote that is never closed is an error: guessing where it should end would lose or change words.
/// </remarks>
internal static class Tokenizer
{
    public static List<string> Split(string text) => Tokenize(text).Words;

    public static Tokens Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var quoteStart = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (Closes(quote.Value, text, i))
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'' or '“' or '‘' && (current.Length == 0 || current[^1] == '='))
            {
                quote = c;
                quoteStart = i;
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

        if (quote is not null)
        {
            var rest = text[quoteStart..];
            var shown = rest.Length <= 40 ? rest : rest[..40] + "…";
            return new Tokens(tokens, $"The quote that starts `{shown}` is never closed: close it, or leave the quote out.");
        }

        Flush();
        return new Tokens(tokens);

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

    // A double quote closes wherever it is. A single quote (straight or typographic) closes only at the
    // end of a word: followed by a letter or digit it is an apostrophe (we're, it’s).
    private static bool Closes(char quote, string text, int index)
    {
        var c = text[index];
        var matches = quote switch
        {
            '“' => c is '”' or '“',
            '‘' => c == '’',
            _ => c == quote,
        };
        if (!matches)
        {
            return false;
        }

        return quote is '"' or '“' || index + 1 == text.Length || !char.IsLetterOrDigit(text[index + 1]);
    }
}
