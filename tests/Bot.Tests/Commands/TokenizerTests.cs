using ChatOps.Bot.Commands;

namespace ChatOps.Bot.Tests.Commands;

/// <summary>Quotes group words; apostrophes are text; a quote left open is an error, never lost text.</summary>
public sealed class TokenizerTests
{
    [Theory]
    [InlineData("sorry prod on message='we're back at 9'", new[] { "sorry", "prod", "on", "message=we're back at 9" })]
    [InlineData("sorry prod on message=‘we’re back’", new[] { "sorry", "prod", "on", "message=we’re back" })]
    [InlineData("lock test don't touch", new[] { "lock", "test", "don't", "touch" })]
    [InlineData("lock test 'big demo' now", new[] { "lock", "test", "big demo", "now" })]
    [InlineData("lock test \"it's 5 o'clock\"", new[] { "lock", "test", "it's 5 o'clock" })]
    [InlineData("lock test ''", new[] { "lock", "test", "" })]
    public void Tokenize_ApostrophesInsideWords_AreKept(string text, string[] expected)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Null(tokens.Error);
        Assert.Equal(expected, tokens.Words);
    }

    [Theory]
    [InlineData("lock test 'tis the season", "`'tis the season`")]
    [InlineData("sorry prod on message=\"we are back", "`\"we are back`")]
    [InlineData("sorry prod on message='we're back", "`'we're back`")]
    [InlineData("lock test “big demo", "`“big demo`")]
    public void Tokenize_QuoteNeverClosed_IsAnErrorNamingIt(string text, string shown)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal($"The quote that starts {shown} is never closed: close it, or leave the quote out.", tokens.Error);
    }
}
