using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Tests.Chat;

public sealed class ChatTimeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 16, 31, 48, TimeSpan.Zero);

    [Fact]
    public void Mark_Moment_ReadsAsTheOneAbsoluteFormatWherePlain()
    {
        var text = $"finished {ChatTime.Mark(At)}";

        Assert.Equal("finished 2026-12-06 16:31 UTC", ChatTime.Plain(text));
        Assert.Equal([(At, "2026-12-06 16:31 UTC")], ChatTime.Find(text));
    }

    [Fact]
    public void Mark_OtherOffset_FallbackIsInUtc() =>
        Assert.Equal("2026-12-06 16:31 UTC", ChatTime.Fallback(At.ToOffset(TimeSpan.FromHours(-8))));

    [Fact]
    public void Render_TextAndTimes_EachPieceGoesToItsOwnRenderer()
    {
        var rendered = ChatTime.Render($"a<b {ChatTime.Mark(At)} c>d", t => t.ToUpperInvariant(), (at, fallback) => $"[{at.ToUnixTimeSeconds()}]");

        Assert.Equal($"A<B [{At.ToUnixTimeSeconds()}] C>D", rendered);
    }

    [Theory]
    [InlineData("<time:abc|2026-12-06 16:31 UTC>")]
    [InlineData("<time:1765038708>")]
    [InlineData("<time:99999999999999|far>")]
    public void Find_MalformedElement_IsPlainText(string text)
    {
        Assert.Empty(ChatTime.Find(text));
        Assert.Equal(text, ChatTime.Plain(text));
    }
}
