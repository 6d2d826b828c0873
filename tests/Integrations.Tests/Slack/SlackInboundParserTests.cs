using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Slack;

namespace ChatOps.Integrations.Tests.Slack;

public sealed class SlackInboundParserTests
{
    [Fact]
    public void ParseSlashCommandForm_SampleFields_TranslatesToRequest()
    {
        var sample = SlackSamples.Load("app-backend/slash-commands/SlashCommandPayload.json");
        sample["command"] = "/env";
        sample["text"] = "up  test ";
        sample["channel_id"] = "C0ENV";
        sample["user_id"] = "U2CERLKJA";
        sample["user_name"] = "roadrunner";
        sample["trigger_id"] = "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

        var inbound = SlackInboundParser.ParseSlashCommandForm(FormBody(sample));

        Assert.Equal(SlackInboundKind.Request, inbound.Kind);
        Assert.Equal(new ChatDestination("slack", "C0ENV"), inbound.Request!.Destination);
        Assert.Equal(new ChatUser("slack", "U2CERLKJA", "roadrunner"), inbound.Request.User);
        Assert.Equal("slack:U2CERLKJA", inbound.Request.User.Key);
        Assert.Equal("env up  test", inbound.Request.Text);
        Assert.Equal("398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c", inbound.Request.DeliveryId);
        Assert.Null(inbound.Request.MessageId);
        Assert.False(inbound.IsRetry);
    }

    [Fact]
    public void ParseSlashCommandForm_DocumentedSigningBody_TranslatesEscapedFields()
    {
        // The body from Slack's signing example: percent-encoded command and an empty text.
        var body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

        var inbound = SlackInboundParser.ParseSlashCommandForm(Encoding.UTF8.GetBytes(body));

        Assert.Equal("webhook-collect", inbound.Request!.Text);
        Assert.Equal("G8PSS9T3V", inbound.Request.Destination.Channel);
    }

    [Fact]
    public void ParseSlashCommandForm_PlusAndEntities_DecodedAsText()
    {
        var inbound = SlackInboundParser.ParseSlashCommandForm("command=%2Falert&text=ack+42+%26amp%3B+note+%26lt%3Bx%26gt%3B&channel_id=C1&user_id=U1&trigger_id=t1"u8);

        Assert.Equal("alert ack 42 & note <x>", inbound.Request!.Text);
    }

    [Theory]
    [InlineData("text=x&channel_id=C1&user_id=U1&trigger_id=t", "command")]
    [InlineData("command=%2Fenv&user_id=U1&trigger_id=t", "channel_id")]
    [InlineData("command=%2Fenv&channel_id=C1&trigger_id=t", "user_id")]
    [InlineData("command=%2Fenv&channel_id=C1&user_id=U1", "trigger_id")]
    public void ParseSlashCommandForm_MissingField_Invalid(string body, string field)
    {
        var inbound = SlackInboundParser.ParseSlashCommandForm(Encoding.UTF8.GetBytes(body));

        Assert.Equal(SlackInboundKind.Invalid, inbound.Kind);
        Assert.Contains(field, inbound.Reason);
    }

    [Fact]
    public void ParseSocketPayload_SlashCommandSample_SameTranslationAsForm()
    {
        var sample = SlackSamples.Load("app-backend/slash-commands/SlashCommandPayload.json");
        sample["command"] = "/pulse";
        sample["channel_id"] = "C0PULSE";
        sample["user_id"] = "U1";
        sample["trigger_id"] = "t-42";

        var inbound = SlackInboundParser.ParseSocketPayload("slash_commands", ToElement(sample), isRetry: true);

        Assert.Equal("pulse", inbound.Request!.Text);
        Assert.Equal("C0PULSE", inbound.Request.Destination.Channel);
        Assert.Null(inbound.Request.User.DisplayName);
        Assert.True(inbound.IsRetry);
    }

    [Fact]
    public void ParseInteractionForm_BlockActionsSample_TranslatesToAction()
    {
        var sample = FilledBlockActions();

        var inbound = SlackInboundParser.ParseInteractionForm(FormBody(new JsonObject { ["payload"] = sample.ToJsonString() }));

        Assert.Equal(SlackInboundKind.Action, inbound.Kind);
        var action = inbound.Action!;
        Assert.Equal(new ChatDestination("slack", "C0ALERTS"), action.Destination);
        Assert.Equal(new ChatUser("slack", "U0ONCALL", "wile"), action.User);
        Assert.Equal("1700000000.000100", action.MessageId);
        Assert.Equal("alert:ack:42", action.ActionId);
        Assert.Equal("C0ALERTS:1700000000.000100:alert:ack:42:1700000123.456789", action.DeliveryId);
    }

    [Fact]
    public void ParseInteractionForm_ContainerMissing_FallsBackToChannelAndMessage()
    {
        var sample = FilledBlockActions();
        sample.Remove("container");
        sample["channel"]!["id"] = "C0OTHER";
        sample["message"]!["ts"] = "1700000000.000200";

        var inbound = SlackInboundParser.ParseInteractionForm(FormBody(new JsonObject { ["payload"] = sample.ToJsonString() }));

        Assert.Equal("C0OTHER", inbound.Action!.Destination.Channel);
        Assert.Equal("1700000000.000200", inbound.Action.MessageId);
    }

    [Theory]
    [InlineData("user.id")]
    [InlineData("actions")]
    [InlineData("action_ts")]
    public void ParseInteraction_MissingField_Invalid(string field)
    {
        var sample = FilledBlockActions();
        switch (field)
        {
            case "user.id":
                sample["user"]!["id"] = "";
                break;
            case "actions":
                sample["actions"] = new JsonArray();
                break;
            default:
                sample["actions"]![0]!["action_ts"] = "";
                break;
        }

        var inbound = SlackInboundParser.ParseSocketPayload("interactive", ToElement(sample), false);

        Assert.Equal(SlackInboundKind.Invalid, inbound.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("payload=")]
    [InlineData("payload=%7Bnot+json")]
    public void ParseInteractionForm_NoOrBadPayload_Invalid(string body)
    {
        Assert.Equal(SlackInboundKind.Invalid, SlackInboundParser.ParseInteractionForm(Encoding.UTF8.GetBytes(body)).Kind);
    }

    [Theory]
    [InlineData("app-backend/interactive-components/MessageShortcutPayload.json")]
    [InlineData("app-backend/interactive-components/AttachmentActionPayload.json")]
    [InlineData("app-backend/views/ViewSubmissionPayload.json")]
    [InlineData("app-backend/views/ViewClosedPayload.json")]
    [InlineData("app-backend/dialogs/DialogSubmissionPayload.json")]
    [InlineData("app-backend/dialogs/DialogCancellationPayload.json")]
    [InlineData("app-backend/dialogs/DialogSuggestionPayload.json")]
    public void ParseInteractionForm_OtherInteractionSamples_Ignored(string sample)
    {
        var payload = SlackSamples.Load(sample).ToJsonString();

        var inbound = SlackInboundParser.ParseInteractionForm(FormBody(new JsonObject { ["payload"] = payload }));

        Assert.Equal(SlackInboundKind.Ignored, inbound.Kind);
    }

    [Fact]
    public void ParseEventJson_AppMentionSample_StripsMentionKeepsThread()
    {
        var sample = EventSample("events/AppMentionPayload.json", "Ev0MENTION");
        var ev = sample["event"]!;
        ev["user"] = "U0ENGINEER";
        ev["channel"] = "C0OPS";
        ev["ts"] = "1700000001.000300";
        ev["thread_ts"] = "1700000000.000100";
        ev["text"] = "<@U0BOT> bring up test &amp; report";

        var inbound = SlackInboundParser.ParseEventJson(Encoding.UTF8.GetBytes(sample.ToJsonString()), isRetry: true);

        Assert.Equal(SlackInboundKind.Request, inbound.Kind);
        var request = inbound.Request!;
        Assert.Equal("bring up test & report", request.Text);
        Assert.Equal(new ChatDestination("slack", "C0OPS"), request.Destination);
        Assert.Equal(new ChatUser("slack", "U0ENGINEER"), request.User);
        Assert.Equal("Ev0MENTION", request.DeliveryId);
        Assert.Equal("1700000001.000300", request.MessageId);
        Assert.Equal("1700000000.000100", request.ThreadOf);
        Assert.True(inbound.IsRetry);
    }

    [Fact]
    public void ParseEventJson_DirectMessageSample_Request()
    {
        var sample = EventSample("events/MessagePayload.json", "Ev0DM");
        var ev = sample["event"]!;
        ev["user"] = "U0ENGINEER";
        ev["channel"] = "D0DIRECT";
        ev["channel_type"] = "im";
        ev["ts"] = "1700000002.000100";
        ev["thread_ts"] = "";
        ev["text"] = "env status prod";

        var inbound = SlackInboundParser.ParseEventJson(Encoding.UTF8.GetBytes(sample.ToJsonString()));

        Assert.Equal(SlackInboundKind.Request, inbound.Kind);
        Assert.Equal("env status prod", inbound.Request!.Text);
        Assert.Equal("D0DIRECT", inbound.Request.Destination.Channel);
        Assert.Null(inbound.Request.ThreadOf);
    }

    [Theory]
    [InlineData("events/MessagePayload.json", "channel", SlackInboundKind.Ignored)]
    [InlineData("events/MessageBotPayload.json", "im", SlackInboundKind.Ignored)]
    [InlineData("events/MessageChangedPayload.json", "im", SlackInboundKind.Ignored)]
    [InlineData("events/MessageDeletedPayload.json", "im", SlackInboundKind.Ignored)]
    [InlineData("events/MessageRepliedPayload.json", "im", SlackInboundKind.Ignored)]
    [InlineData("events/ReactionAddedPayload.json", "im", SlackInboundKind.Ignored)]
    [InlineData("events/MemberJoinedChannelPayload.json", "channel", SlackInboundKind.Ignored)]
    [InlineData("events/AppUninstalledPayload.json", "", SlackInboundKind.Ignored)]
    [InlineData("events/TokensRevokedPayload.json", "", SlackInboundKind.Ignored)]
    public void ParseEventJson_EventsThatAreNotForTheBot_Ignored(string path, string channelType, SlackInboundKind expected)
    {
        var sample = EventSample(path, "Ev0OTHER");
        var ev = sample["event"]!.AsObject();
        ev["user"] = "U0SOMEONE";
        ev["channel"] = "C0X";
        ev["ts"] = "1700000003.000100";
        ev["channel_type"] = channelType;
        if (path.EndsWith("MessagePayload.json", StringComparison.Ordinal) && channelType == "im")
        {
            ev["bot_id"] = "B0OURS";
        }

        var inbound = SlackInboundParser.ParseEventJson(Encoding.UTF8.GetBytes(sample.ToJsonString()));

        Assert.Equal(expected, inbound.Kind);
    }

    [Fact]
    public void ParseEventJson_DirectMessageFromABot_Ignored()
    {
        var sample = EventSample("events/MessagePayload.json", "Ev0BOT");
        var ev = sample["event"]!;
        ev["user"] = "U0BOT";
        ev["channel"] = "D0DIRECT";
        ev["channel_type"] = "im";
        ev["ts"] = "1700000002.000100";
        ev["bot_id"] = "B0OURS";

        Assert.Equal(SlackInboundKind.Ignored, SlackInboundParser.ParseEventJson(Encoding.UTF8.GetBytes(sample.ToJsonString())).Kind);
    }

    /// <summary>Every vendor sample, exactly as shipped (blank ids), parses without throwing and runs nothing.</summary>
    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Parse_RawSample_NeverThrowsAndNeverRuns(string path)
    {
        var json = Encoding.UTF8.GetBytes(SlackSamples.Load(path).ToJsonString());
        var results = new[]
        {
            SlackInboundParser.ParseEventJson(json),
            SlackInboundParser.ParseInteractionForm(FormBody(new JsonObject { ["payload"] = Encoding.UTF8.GetString(json) })),
            SlackInboundParser.ParseSocketPayload("slash_commands", ToElement(SlackSamples.Load(path)), false),
        };

        Assert.All(results, r => Assert.Contains(r.Kind, new[] { SlackInboundKind.Ignored, SlackInboundKind.Invalid }));
    }

    public static TheoryData<string> AllSamples()
    {
        var data = new TheoryData<string>();
        foreach (var path in SlackSamples.All("events").Concat(SlackSamples.All("app-backend")))
        {
            data.Add(path);
        }

        return data;
    }

    [Fact]
    public void ParseEventJson_UrlVerificationVectorBody_ReturnsChallenge()
    {
        var body = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}";

        var inbound = SlackInboundParser.ParseEventJson(Encoding.UTF8.GetBytes(body));

        Assert.Equal(SlackInboundKind.UrlVerification, inbound.Kind);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", inbound.Challenge);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"type\":\"url_verification\"}")]
    [InlineData("{\"type\":\"event_callback\",\"event_id\":\"Ev1\"}")]
    [InlineData("{\"type\":\"event_callback\",\"event\":{\"type\":\"app_mention\",\"user\":\"U1\",\"channel\":\"C1\",\"ts\":\"1.2\",\"text\":\"hi\"}}")]
    [InlineData("{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{\"type\":\"app_mention\",\"channel\":\"C1\",\"ts\":\"1.2\",\"text\":\"hi\"}}")]
    public void ParseEventJson_Malformed_Invalid(string body)
    {
        Assert.Equal(SlackInboundKind.Invalid, SlackInboundParser.ParseEventJson(Encoding.UTF8.GetBytes(body)).Kind);
    }

    [Theory]
    [InlineData("<@U0BOT> env up test", "env up test")]
    [InlineData("  <@U0BOT|bot>: env up test", "env up test")]
    [InlineData("<@U0BOT> <@U0BOT2> status", "status")]
    [InlineData("ping <@U0OTHER> please", "ping <@U0OTHER> please")]
    [InlineData("<@U0BOT>", "")]
    public void StripLeadingMentions_Text_LeavesTheRequest(string text, string expected)
    {
        Assert.Equal(expected, SlackInboundParser.StripLeadingMentions(text));
    }

    private static JsonObject FilledBlockActions()
    {
        var sample = SlackSamples.Load("app-backend/interactive-components/BlockActionPayload.json");
        sample["user"]!["id"] = "U0ONCALL";
        sample["user"]!["username"] = "wile";
        sample["container"]!["channel_id"] = "C0ALERTS";
        sample["container"]!["message_ts"] = "1700000000.000100";
        sample["trigger_id"] = "trigger-1";
        var action = sample["actions"]![0]!;
        action["action_id"] = "alert:ack:42";
        action["action_ts"] = "1700000123.456789";
        return sample;
    }

    private static JsonObject EventSample(string path, string eventId)
    {
        var sample = SlackSamples.Load(path);
        sample["type"] = "event_callback";
        sample["event_id"] = eventId;
        return sample;
    }

    internal static byte[] FormBody(JsonObject fields)
    {
        var pairs = fields
            .Where(f => f.Value is JsonValue)
            .Select(f => new KeyValuePair<string, string>(f.Key, f.Value!.GetValueKind() == JsonValueKind.String ? f.Value.GetValue<string>() : f.Value.ToJsonString()));
        using var content = new FormUrlEncodedContent(pairs);
        return content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
    }

    private static JsonElement ToElement(JsonObject node) => JsonDocument.Parse(node.ToJsonString()).RootElement;
}
