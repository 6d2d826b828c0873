using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

public sealed class OutboxDigestTests
{
    [Fact]
    public void Compose_MoreItemsThanListed_ListsFirstLinesAndCountsTheRest()
    {
        var items = Enumerable.Range(1, 12).Select(i => new DigestItem("alert", OutgoingMessage.Plain($"alert {i}\ndetails {i}"))).ToList();

        var message = OutboxDigest.Compose(items, listed: 3, lineLength: 120);

        Assert.Equal("*12 alerts*\n• alert 1\n• alert 2\n• alert 3\n…and 9 more", message.Text);
        Assert.NotEmpty(message.Context);
    }

    [Fact]
    public void Compose_MixedNouns_CountsEachNoun()
    {
        DigestItem[] items =
        [
            new("alert", OutgoingMessage.Plain("a")),
            new("pulse", OutgoingMessage.Plain("p")),
            new("alert", OutgoingMessage.Plain("b")),
        ];

        var message = OutboxDigest.Compose(items, listed: 10, lineLength: 120);

        Assert.StartsWith("*3 messages*: 2 alerts, 1 pulse\n", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("more", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_LongFirstLine_CutWithEllipsis()
    {
        var message = OutboxDigest.Compose([new DigestItem("alert", OutgoingMessage.Plain(new string('x', 500)))], listed: 10, lineLength: 20);

        Assert.Equal("*1 alert*\n• " + new string('x', 19) + "…", message.Text);
    }
}
