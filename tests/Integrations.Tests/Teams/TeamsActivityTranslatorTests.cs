using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Teams.Inbound;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>Activities as the Bot Framework sends them (activity schema field names), read and translated into the bot's own types.</summary>
public sealed class TeamsActivityTranslatorTests
{
    private const string BotId = "28:6a1c9a4e-0c57-4b7e-9d0f-3a1f5b2c7d10";
    private const string Channel = "19:ops@thread.tacv2";
    private const string Aad = "8D6C1B3A-2F4E-4C5D-9A8B-7E6F5D4C3B2A";

    [Fact]
    public void Translate_ChannelMention_StripsTheBotMentionAndNamesTheUserByObjectId()
    {
        var inbound = Translate(Message("<at>ChatOps</at> up test", Mention(BotId, "<at>ChatOps</at>")));

        Assert.Equal(TeamsInboundKind.Request, inbound.Kind);
        var request = inbound.Request!;
        Assert.Equal("up test", request.Text);
        Assert.Equal("teams", request.Destination.Platform);
        Assert.Equal(Channel, request.Destination.Channel);
        Assert.Equal("teams:8d6c1b3a-2f4e-4c5d-9a8b-7e6f5d4c3b2a", request.User.Key);
        Assert.Equal("Dana Ops", request.User.DisplayName);
        Assert.Equal("teams:1701", request.DeliveryId);
        Assert.Equal("1701", request.MessageId);
        Assert.Null(request.ThreadOf);
    }

    [Fact]
    public void Translate_ReplyInAChannelThread_PostsToTheChannelAndRepliesUnderTheThreadRoot()
    {
        var activity = Message("<at>ChatOps</at>&nbsp;status   test", Mention(BotId, "<at>ChatOps</at>"));
        activity["conversation"]!["id"] = Channel + ";messageid=1690000000000";

        var request = Translate(activity).Request!;

        Assert.Equal("status test", request.Text);
        Assert.Equal(Channel, request.Destination.Channel);
        Assert.Equal("1690000000000", request.ThreadOf);
    }

    [Fact]
    public void Translate_PersonalChatWithoutMention_KeepsTheText()
    {
        Assert.Equal("bring up dev", Translate(Message("bring up dev")).Request!.Text);
    }

    [Fact]
    public void Translate_MentionOfSomeoneElse_IsKept()
    {
        var text = Translate(Message("<at>ChatOps</at> hello <at>Erin</at>", Mention(BotId, "<at>ChatOps</at>"), Mention("29:erin", "<at>Erin</at>"))).Request!.Text;

        Assert.Equal("hello <at>Erin</at>", text);
    }

    [Fact]
    public void Translate_ActionSubmit_IsAPressOnTheCardItCameFrom()
    {
        var activity = Message(null);
        activity["value"] = new JsonObject { ["actionId"] = "decision:42:confirm" };
        activity["replyToId"] = "1600";

        var inbound = Translate(activity);

        Assert.Equal(TeamsInboundKind.Action, inbound.Kind);
        Assert.False(inbound.IsInvoke);
        Assert.Equal("decision:42:confirm", inbound.Action!.ActionId);
        Assert.Equal("1600", inbound.Action.MessageId);
        Assert.Equal("teams:1701", inbound.Action.DeliveryId);
    }

    [Fact]
    public void Translate_ActionExecuteInvoke_IsAPressCarryingTheVerb()
    {
        var inbound = Translate(Invoke(new JsonObject { ["type"] = "Action.Execute", ["verb"] = "decision:42:confirm", ["data"] = new JsonObject() }));

        Assert.Equal(TeamsInboundKind.Action, inbound.Kind);
        Assert.True(inbound.IsInvoke);
        Assert.Equal("decision:42:confirm", inbound.Action!.ActionId);
        Assert.Equal("1600", inbound.Action.MessageId);
        Assert.Equal("teams:8d6c1b3a-2f4e-4c5d-9a8b-7e6f5d4c3b2a", inbound.Action.User.Key);
    }

    [Fact]
    public void Translate_ActionExecuteWithoutVerb_TakesTheActionIdFromItsData()
    {
        var inbound = Translate(Invoke(new JsonObject { ["type"] = "Action.Execute", ["data"] = new JsonObject { ["actionId"] = "alert:7:ack" } }));

        Assert.Equal("alert:7:ack", inbound.Action!.ActionId);
    }

    [Fact]
    public void Translate_InvokeWithoutAction_IsInvalidNamingWhatIsMissing()
    {
        var inbound = Translate(Invoke(null));

        Assert.Equal(TeamsInboundKind.Invalid, inbound.Kind);
        Assert.Contains("value.action", inbound.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_OtherInvoke_IsUnknownInvoke()
    {
        var activity = Invoke(new JsonObject { ["verb"] = "x" });
        activity["name"] = "composeExtension/query";

        Assert.Equal(TeamsInboundKind.UnknownInvoke, Translate(activity).Kind);
    }

    [Fact]
    public void Translate_BotAddedToATeam_IsAConversationUpdate()
    {
        var activity = Message(null);
        activity["type"] = "conversationUpdate";
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotId });

        var inbound = Translate(activity);

        Assert.Equal(TeamsInboundKind.ConversationUpdate, inbound.Kind);
        Assert.Equal("the bot was added", inbound.Reason);
    }

    [Fact]
    public void Read_BotAddedToATeam_KeepsTheConversationTypeAndTheTeamsGroupIdForGraph()
    {
        var activity = Message(null);
        activity["type"] = "conversationUpdate";
        activity["channelData"] = new JsonObject
        {
            ["team"] = new JsonObject { ["id"] = Channel, ["name"] = "Ops", ["aadGroupId"] = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b" },
            ["eventType"] = "teamMemberAdded",
        };
        using var document = JsonDocument.Parse(activity.ToJsonString());

        var read = TeamsActivityReader.Read(document.RootElement, out _)!;

        Assert.Equal("channel", read.ConversationType);
        Assert.Equal("fbe2bf47-16c8-47cf-b4a5-4b9b187c508b", read.TeamAadGroupId);
    }

    [Fact]
    public void Read_MessageWithoutTeamData_HasNoTeamGroupId()
    {
        using var document = JsonDocument.Parse(Message("up test").ToJsonString());

        Assert.Null(TeamsActivityReader.Read(document.RootElement, out _)!.TeamAadGroupId);
    }

    [Fact]
    public void Translate_SenderWithoutObjectId_IsUnidentifiedWithWhereToAnswer()
    {
        var activity = Message("up test");
        activity["from"]!.AsObject().Remove("aadObjectId");

        var inbound = Translate(activity);

        Assert.Equal(TeamsInboundKind.Unidentified, inbound.Kind);
        Assert.Null(inbound.Request);
        Assert.Equal(Channel, inbound.Destination!.Channel);
    }

    [Fact]
    public void Translate_TypingActivity_IsIgnored()
    {
        var activity = Message(null);
        activity["type"] = "typing";

        Assert.Equal(TeamsInboundKind.Ignored, Translate(activity).Kind);
    }

    [Theory]
    [InlineData("serviceUrl", "the activity has no serviceUrl")]
    [InlineData("conversation", "the activity has no conversation.id")]
    [InlineData("recipient", "the activity has no recipient.id")]
    [InlineData("type", "the activity has no type")]
    public void Read_ActivityMissingARequiredPart_NamesIt(string part, string reason)
    {
        var activity = Message("up test");
        activity.Remove(part);
        using var document = JsonDocument.Parse(activity.ToJsonString());

        Assert.Null(TeamsActivityReader.Read(document.RootElement, out var why));
        Assert.Equal(reason, why);
    }

    private static TeamsInbound Translate(JsonObject activity)
    {
        using var document = JsonDocument.Parse(activity.ToJsonString());
        var read = TeamsActivityReader.Read(document.RootElement, out var reason);
        Assert.True(read is not null, reason);
        return TeamsActivityTranslator.Translate(read);
    }

    private static JsonObject Mention(string id, string text) =>
        new() { ["type"] = "mention", ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = "x" }, ["text"] = text };

    internal static JsonObject Message(string? text, params JsonObject[] mentions)
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = "1701",
            ["channelId"] = "msteams",
            ["serviceUrl"] = "https://smba.trafficmanager.net/emea/",
            ["from"] = new JsonObject { ["id"] = "29:1dana", ["name"] = "Dana Ops", ["aadObjectId"] = Aad },
            ["conversation"] = new JsonObject { ["id"] = Channel, ["conversationType"] = "channel", ["tenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47" },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "ChatOps" },
            ["entities"] = new JsonArray([.. mentions]),
        };
        if (text is not null)
        {
            activity["text"] = text;
        }

        return activity;
    }

    private static JsonObject Invoke(JsonObject? action)
    {
        var activity = Message(null);
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = "1600";
        activity["value"] = action is null ? new JsonObject { ["trigger"] = "manual" } : new JsonObject { ["action"] = action, ["trigger"] = "manual" };
        return activity;
    }
}
