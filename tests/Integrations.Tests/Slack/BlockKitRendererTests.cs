using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Slack;

namespace ChatOps.Integrations.Tests.Slack;

public sealed class BlockKitRendererTests
{
    [Fact]
    public void Render_FullMessage_SectionContextActionsInOrder()
    {
        var message = new OutgoingMessage
        {
            Text = "*prod* is up\nall 3 nodes healthy",
            Context = ["by <@U1> & co", "run 17"],
            Buttons = [new("env:ok", "OK", ButtonStyle.Primary), new("env:destroy:prod", "Destroy", ButtonStyle.Danger), new("env:details", "Details")],
        };

        var content = BlockKitRenderer.Render(message);

        Assert.Equal("*prod* is up\nall 3 nodes healthy", content.Text);
        var blocks = content.Blocks!;
        Assert.Equal(["section", "context", "actions"], blocks.Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("mrkdwn", blocks[0]!["text"]!["type"]!.GetValue<string>());
        Assert.Equal("by &lt;@U1&gt; &amp; co", blocks[1]!["elements"]![0]!["text"]!.GetValue<string>());
        var buttons = blocks[2]!["elements"]!.AsArray();
        Assert.Equal(["env:ok", "env:destroy:prod", "env:details"], buttons.Select(b => b!["action_id"]!.GetValue<string>()));
        Assert.Equal("plain_text", buttons[0]!["text"]!["type"]!.GetValue<string>());
        Assert.Equal("Destroy", buttons[1]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("danger", buttons[1]!["style"]!.GetValue<string>());
        Assert.Null(buttons[2]!["style"]);
        Assert.Equal("env:details", buttons[2]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Render_BroadcastMarkupInText_Escaped()
    {
        var content = BlockKitRenderer.Render(OutgoingMessage.Plain("sorry <!channel> a&b"));

        Assert.Equal("sorry &lt;!channel&gt; a&amp;b", content.Text);
        Assert.Equal("sorry &lt;!channel&gt; a&amp;b", content.Blocks![0]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Render_TimeInTextAndContext_SlackDateFormattingWithTheFallback()
    {
        var at = new DateTimeOffset(2026, 12, 6, 16, 31, 48, TimeSpan.Zero);
        var message = new OutgoingMessage { Text = $"a<b acknowledged at {ChatTime.Mark(at)}", Context = [$"finished {ChatTime.Mark(at)}"] };

        var content = BlockKitRenderer.Render(message);

        const string Date = "<!date^1796574708^{date_short_pretty} {time}|2026-12-06 16:31 UTC>";
        Assert.Equal($"a&lt;b acknowledged at {Date}", content.Blocks![0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal($"finished {Date}", content.Blocks![1]!["elements"]![0]!["text"]!.GetValue<string>());
        Assert.Equal($"a&lt;b acknowledged at {Date}", content.Text);
    }

    [Fact]
    public void Render_LongText_SplitIntoSectionsUnderTheLimit()
    {
        var lines = Enumerable.Range(0, 400).Select(i => $"line {i:D4} of the deployment log");
        var content = BlockKitRenderer.Render(OutgoingMessage.Plain(string.Join('\n', lines)));

        var sections = content.Blocks!.Select(b => b!["text"]!["text"]!.GetValue<string>()).ToList();
        Assert.True(sections.Count > 1);
        Assert.All(sections, s => Assert.True(s.Length <= BlockKitRenderer.MaxSectionText));
        Assert.Equal(string.Join('\n', lines), string.Join('\n', sections));
    }

    [Fact]
    public void Render_OneHugeLine_CutIntoSections()
    {
        var content = BlockKitRenderer.Render(OutgoingMessage.Plain(new string('x', 7000)));

        Assert.Equal([3000, 3000, 1000], content.Blocks!.Select(b => b!["text"]!["text"]!.GetValue<string>().Length));
    }

    [Fact]
    public void Render_ImageWithFile_ImageBlockWithAltText()
    {
        var message = new OutgoingMessage { Text = "pulse", Image = new ChatImage("logins", new byte[] { 1 }) };

        var blocks = BlockKitRenderer.Render(message, "F123").Blocks!;

        var image = blocks.Single(b => b!["type"]!.GetValue<string>() == "image")!;
        Assert.Equal("F123", image["slack_file"]!["id"]!.GetValue<string>());
        Assert.Equal("logins", image["alt_text"]!.GetValue<string>());
    }

    [Fact]
    public void Render_TooManyButtonsAndLongLabels_KeptWithinSlackLimits()
    {
        var buttons = Enumerable.Range(0, 30).Select(i => new ChatButton($"b{i}", new string('L', 100))).ToList();

        var actions = BlockKitRenderer.Render(new OutgoingMessage { Text = "x", Buttons = buttons }).Blocks![^1]!["elements"]!.AsArray();

        Assert.Equal(BlockKitRenderer.MaxButtons, actions.Count);
        Assert.All(actions, a => Assert.True(a!["text"]!["text"]!.GetValue<string>().Length <= BlockKitRenderer.MaxButtonText));
    }

    [Fact]
    public void Render_ActionIdLongerThanSlackAllows_Throws()
    {
        var message = new OutgoingMessage { Text = "x", Buttons = [new(new string('a', 256), "A")] };

        Assert.Throws<ArgumentException>(() => BlockKitRenderer.Render(message));
    }

    [Fact]
    public void Render_NothingToShowAsBlocks_NoBlocksArray()
    {
        Assert.Null(BlockKitRenderer.Render(OutgoingMessage.Plain("")).Blocks);
    }

    [Fact]
    public void Render_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => BlockKitRenderer.Render(null!));
    }

    [Fact]
    public void Render_BlocksAreValidJson_RoundTrip()
    {
        var content = BlockKitRenderer.Render(new OutgoingMessage { Text = "é ✓ \"quoted\"", Buttons = [new("a", "✓ ok")] });

        var parsed = JsonNode.Parse(content.Blocks!.ToJsonString())!.AsArray();
        Assert.Equal("é ✓ \"quoted\"", parsed[0]!["text"]!["text"]!.GetValue<string>());
    }
}
