using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Discord.Sending;

namespace ChatOps.Integrations.Tests.Discord;

public sealed class DiscordMessageRendererTests
{
    [Fact]
    public void RenderPost_TextContextAndBold_BecomeContentWithSubtext()
    {
        var rendering = DiscordMessageRenderer.RenderPost(new OutgoingMessage
        {
            Text = "*test* is up in `2*3*4` s",
            Context = ["asked by Ada", "run 12"],
        });

        Assert.Equal("**test** is up in `2*3*4` s\n-# asked by Ada\n-# run 12", rendering.Message.Body["content"]!.GetValue<string>());
        Assert.Empty(rendering.Rest);
        Assert.Empty(rendering.Message.Files);
        Assert.Null(rendering.Message.Body["components"]);
        Assert.Equal("""{"parse":["users"]}""", rendering.Message.Body["allowed_mentions"]!.ToJsonString());
    }

    [Fact]
    public void RenderPost_TwelveButtons_ThreeRowsOfAtMostFiveWithStyles()
    {
        var buttons = Enumerable.Range(0, 12).Select(i => new ChatButton($"a:{i}", $"B{i}", (ButtonStyle)(i % 3))).ToList();

        var rows = DiscordMessageRenderer.RenderPost(new OutgoingMessage { Text = "pick", Buttons = buttons }).Message.Body["components"]!.AsArray();

        Assert.Equal([5, 5, 2], rows.Select(r => r!["components"]!.AsArray().Count));
        Assert.All(rows, r => Assert.Equal(1, r!["type"]!.GetValue<int>()));
        var all = rows.SelectMany(r => r!["components"]!.AsArray()).ToList();
        Assert.Equal(buttons.Select(b => b.ActionId), all.Select(b => b!["custom_id"]!.GetValue<string>()));
        Assert.All(all, b => Assert.Equal(2, b!["type"]!.GetValue<int>()));
        // Default → secondary (2), Primary → 1, Danger → 4.
        Assert.Equal([2, 1, 4], all.Take(3).Select(b => b!["style"]!.GetValue<int>()));
    }

    [Fact]
    public void RenderPost_MoreThanTwentyFiveButtons_IsRefusedForGood()
    {
        var buttons = Enumerable.Range(0, 26).Select(i => new ChatButton($"a:{i}", "x")).ToList();

        var exception = Assert.Throws<DiscordRenderException>(() => DiscordMessageRenderer.RenderPost(new OutgoingMessage { Text = "t", Buttons = buttons }));

        Assert.True(((IChatSendFailure)exception).IsPermanent);
        Assert.Contains("at most 25", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderPost_ActionIdOver100Characters_IsRefusedForGood()
    {
        var exception = Assert.Throws<DiscordRenderException>(() =>
            DiscordMessageRenderer.RenderPost(new OutgoingMessage { Text = "t", Buttons = [new ChatButton(new string('x', 101), "Go")] }));

        Assert.Contains("custom_id holds 1 to 100", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderPost_LongLabel_IsCutTo80()
    {
        var button = DiscordMessageRenderer.RenderPost(new OutgoingMessage { Text = "t", Buttons = [new ChatButton("go", new string('L', 200))] })
            .Message.Body["components"]![0]!["components"]![0]!;

        Assert.Equal(80, button["label"]!.GetValue<string>().Length);
    }

    [Fact]
    public void RenderPost_TextLongerThanAMessage_FirstPartWithinLimitRestInPieces()
    {
        var lines = Enumerable.Range(0, 400).Select(i => $"line {i:000} of the output").ToList();
        var text = string.Join('\n', lines);

        var rendering = DiscordMessageRenderer.RenderPost(new OutgoingMessage { Text = text, Context = ["run 7"] });

        var content = rendering.Message.Body["content"]!.GetValue<string>();
        Assert.True(content.Length <= DiscordMessageRenderer.MaxContent, $"content is {content.Length} characters");
        Assert.EndsWith("\n-# run 7", content, StringComparison.Ordinal);
        Assert.NotEmpty(rendering.Rest);
        Assert.All(rendering.Rest, piece => Assert.True(piece.Length <= DiscordMessageRenderer.MaxContent));
        // Nothing is lost: the pieces joined back are the whole text, broken at line ends.
        var shown = content[..content.LastIndexOf("\n-# run 7", StringComparison.Ordinal)];
        Assert.Equal(text, string.Join('\n', new[] { shown }.Concat(rendering.Rest)));
    }

    [Fact]
    public void RenderEdit_TextLongerThanAMessage_IsCutWithAnEllipsis_AndClearsWhatItDoesNotShow()
    {
        var payload = DiscordMessageRenderer.RenderEdit(new OutgoingMessage { Text = new string('x', 5000) });

        var content = payload.Body["content"]!.GetValue<string>();
        Assert.Equal(DiscordMessageRenderer.MaxContent, content.Length);
        Assert.EndsWith("…", content, StringComparison.Ordinal);
        // An edit replaces buttons, embeds and attachments shown before.
        Assert.Equal("[]", payload.Body["components"]!.ToJsonString());
        Assert.Equal("[]", payload.Body["embeds"]!.ToJsonString());
        Assert.Equal("[]", payload.Body["attachments"]!.ToJsonString());
    }

    [Fact]
    public void RenderPost_Image_IsAnAttachedPngAnEmbedShows()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47];

        var payload = DiscordMessageRenderer.RenderPost(new OutgoingMessage { Text = "pulse", Image = new ChatImage("logins per minute", png) }).Message;

        var file = Assert.Single(payload.Files);
        Assert.Equal(("image.png", "image/png"), (file.FileName, file.ContentType));
        Assert.Equal(png, file.Content.ToArray());
        Assert.Equal("attachment://image.png", payload.Body["embeds"]![0]!["image"]!["url"]!.GetValue<string>());
        var attachment = payload.Body["attachments"]![0]!;
        Assert.Equal((0, "image.png", "logins per minute"),
            (attachment["id"]!.GetValue<int>(), attachment["filename"]!.GetValue<string>(), attachment["description"]!.GetValue<string>()));
    }

    [Fact]
    public void Nonce_IsAtMost25Characters_TheSameForTheSameKey_AndDiffersBetweenKeys()
    {
        var keys = new[] { "run:1", "run:2", "reply:1200000000000000002", "alert:" + new string('f', 200) + ":fired:discord:1400000000000000001" };

        var nonces = keys.Select(DiscordNonce.For).ToList();

        Assert.All(nonces, n => Assert.InRange(n.Length, 1, DiscordNonce.MaxLength));
        Assert.Equal(nonces, keys.Select(DiscordNonce.For));
        Assert.Equal(keys.Length, nonces.Distinct().Count());
        Assert.Equal("325fb97585f5a4f2ff7feaa7", DiscordNonce.For("run:1"));
    }

    [Fact]
    public void RenderPiece_HasOnlyTextAndMentionRules()
    {
        var body = DiscordMessageRenderer.RenderPiece("more").Body;

        Assert.Equal(JsonNode.Parse("""{"content":"more","allowed_mentions":{"parse":["users"]}}""")!.ToJsonString(), body.ToJsonString());
    }
}
