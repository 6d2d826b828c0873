using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Teams.Cards;
using ChatOps.TestCommon.Teams;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>The Adaptive Card of each kind of message, each checked against the published Adaptive Card 1.5 schema.</summary>
public sealed class AdaptiveCardRendererTests
{
    public static TheoryData<string, OutgoingMessage> Messages => new()
    {
        {
            "run with a Cancel button", new OutgoingMessage
            {
                Text = "⏳ *alice* is bringing up test\n✅ Start web-1 — pid 4242 (2s)\n🔄 Start web-2\nElapsed: 5s.",
                Context = ["run 7 · requested by alice"],
                Buttons = [new ChatButton("cancel-run:7", "Cancel run", ButtonStyle.Danger)],
            }
        },
        {
            "confirmation", new OutgoingMessage
            {
                Text = "*alice* asks to destroy `prod`. This removes every node.",
                Context = ["run 8 · only alice can confirm"],
                Buttons = [new ChatButton("confirm:8", "Confirm", ButtonStyle.Danger), new ChatButton("cancel:8", "Cancel")],
            }
        },
        {
            "alert with Acknowledge", new OutgoingMessage
            {
                Text = $"🔥 *Disk full* on db-1\nseverity: critical\nhost: db-1\nsince: {ChatTime.Mark(DateTimeOffset.FromUnixTimeSeconds(1_765_000_000))}",
                Context = ["alert #42 · rule disk"],
                Buttons = [new ChatButton("alert-ack:42", "Acknowledge", ButtonStyle.Primary), new ChatButton("alert-resolve:42", "Resolve"), new ChatButton("alert-mute:42", "Mute")],
            }
        },
        {
            "pulse with an image", new OutgoingMessage
            {
                Text = "📈 12.4 thousand logins in the last 5 minutes, 8% more than this time last week",
                Image = new ChatImage("logins, last hour", new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 }),
            }
        },
        { "long text", new OutgoingMessage { Text = string.Join('\n', Enumerable.Range(0, 3_000).Select(i => $"line {i} of output")) } },
        { "status with a node list", new OutgoingMessage { Text = "*test* is up\nweb-1: up, weight 50\nweb-2: up, weight 50\n\nsorry page: off" } },
        { "markup from outside", new OutgoingMessage { Text = "[click](https://evil.example) _x_ ~y~ {{DATE(2020-01-01T00:00:00Z)}} \\ *" } },
        { "many buttons", new OutgoingMessage { Text = "pick", Buttons = [.. Enumerable.Range(0, 9).Select(i => new ChatButton($"b:{i}", $"Button {i}"))] } },
        { "empty", new OutgoingMessage { Text = "" } },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Render_EveryKindOfMessage_ValidatesAgainstTheAdaptiveCard15Schema(string kind, OutgoingMessage message)
    {
        var card = AdaptiveCardRenderer.Render(message with { DeliveryKey = "key:" + kind });

        using var json = JsonDocument.Parse(card.ToJsonString());
        Assert.Empty(ConnectorContract.Instance.CheckCard(json.RootElement));
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        Assert.InRange(card.ToJsonString().Length, 1, 28_000);
    }

    [Fact]
    public void Render_Buttons_ActionExecuteWithTheActionIdAndStyles()
    {
        var card = AdaptiveCardRenderer.Render(new OutgoingMessage
        {
            Text = "alert",
            Buttons = [new ChatButton("alert-ack:42", "Acknowledge", ButtonStyle.Primary), new ChatButton("alert-resolve:42", "Resolve"), new ChatButton("x:1", "Destroy", ButtonStyle.Danger)],
        });

        var actions = card["actions"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.All(actions, a => Assert.Equal("Action.Execute", a["type"]!.GetValue<string>()));
        Assert.Equal(["alert-ack:42", "alert-resolve:42", "x:1"], actions.Select(a => a["data"]![AdaptiveCardRenderer.ActionIdKey]!.GetValue<string>()));
        Assert.Equal(["alert-ack:42", "alert-resolve:42", "x:1"], actions.Select(a => a["verb"]!.GetValue<string>()));
        Assert.Equal(["positive", null, "destructive"], actions.Select(a => a["style"]?.GetValue<string>()));
    }

    [Fact]
    public void Render_NameValueLines_OneFactSetAndTheRestAsText()
    {
        var card = AdaptiveCardRenderer.Render(new OutgoingMessage { Text = "*test* is up\nweb-1: up, weight 50\nweb-2: halted\nsee `status`" });

        var body = card["body"]!.AsArray();
        Assert.Equal(["TextBlock", "FactSet", "TextBlock"], body.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal("**test** is up", body[0]!["text"]!.GetValue<string>());
        Assert.Equal([("web-1", "up, weight 50"), ("web-2", "halted")], body[1]!["facts"]!.AsArray().Select(f => (f!["title"]!.GetValue<string>(), f["value"]!.GetValue<string>())));
        Assert.Equal("see `status`", body[2]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Render_ContextAndImage_SmallSubtleLinesAndADataUrl()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47 };
        var card = AdaptiveCardRenderer.Render(new OutgoingMessage { Text = "pulse", Context = ["window 5 min"], Image = new ChatImage("sparkline", png) });

        var body = card["body"]!.AsArray();
        Assert.Equal(("Image", "data:image/png;base64," + Convert.ToBase64String(png), "sparkline"), (body[1]!["type"]!.GetValue<string>(), body[1]!["url"]!.GetValue<string>(), body[1]!["altText"]!.GetValue<string>()));
        Assert.Equal(("Small", true), (body[2]!["size"]!.GetValue<string>(), body[2]!["isSubtle"]!.GetValue<bool>()));
    }

    [Fact]
    public void Render_MarkupFromOutside_EscapedSoNoLinkOrFunctionForms()
    {
        var card = AdaptiveCardRenderer.Render(new OutgoingMessage { Text = "[click](https://evil.example) {{DATE(x)}} _y_" });

        Assert.Equal(@"\[click\](https://evil.example) \{\{DATE(x)\}\} \_y\_", card["body"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Render_Time_TheCardsOwnDateAndTimeFunctions()
    {
        var at = DateTimeOffset.Parse("2026-12-06T16:31:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var card = AdaptiveCardRenderer.Render(new OutgoingMessage { Text = $"since {ChatTime.Mark(at)}" });

        Assert.Equal("since {{DATE(2026-12-06T16:31:00Z, SHORT)}} {{TIME(2026-12-06T16:31:00Z)}}", card["body"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("since 2026-12-06 16:31 UTC", card["fallbackText"]!.GetValue<string>());
    }

    [Fact]
    public void Render_LongText_CutBelowTeamsMessageSize()
    {
        var card = AdaptiveCardRenderer.Render(new OutgoingMessage { Text = new string('x', 50_000) });

        Assert.InRange(card.ToJsonString().Length, 1, 28_000);
        Assert.EndsWith("…", card["body"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckCard_CardBreakingTheSchema_Reported()
    {
        // The validator under the contract tests must be able to fail.
        var card = AdaptiveCardRenderer.Render(new OutgoingMessage { Text = "x", Buttons = [new ChatButton("a", "A", ButtonStyle.Danger)] });
        card["actions"]![0]!["style"] = "red";
        card["body"]![0]!["colour"] = "blue";
        card.Remove("version");
        card["msteams"] = new JsonObject();

        using var json = JsonDocument.Parse(card.ToJsonString());
        var violations = ConnectorContract.Instance.CheckCard(json.RootElement);

        Assert.Contains(violations, v => v.Contains("$.msteams", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("$.actions[0]", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("$.body[0]", StringComparison.Ordinal));
    }
}
