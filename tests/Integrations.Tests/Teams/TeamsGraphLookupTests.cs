using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Teams;
using ChatOps.Integrations.Teams.Cards;
using ChatOps.Integrations.Teams.Graph;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Graph;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>
/// The Graph side of the Teams lookup without a peer: where each conversation is listed, reading Graph's own example
/// answer (vendored from its reference), and how a card carrying the outbox key is recognised.
/// </summary>
public sealed partial class TeamsGraphLookupTests
{
    private const string Team = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b";
    private const string Channel = "19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2";

    [Fact]
    public void Address_ChannelWithItsTeam_IsTheChannelsMessagesOrTheThreadsRepliesAsDocumented()
    {
        var reference = Reference(Channel, "channel", Team);

        var root = TeamsGraphAddress.Of(reference, null, out _)!;
        var reply = TeamsGraphAddress.Of(reference, "1616989510408", out _)!;

        Assert.Equal(TeamsGraphListing.ChannelMessages, root.Listing);
        Assert.Equal("GET /teams/{team-id}/channels/{channel-id}/messages", Documented(root.Path));
        Assert.Equal(TeamsGraphListing.Replies, reply.Listing);
        Assert.Equal("GET /teams/{team-id}/channels/{channel-id}/messages/{message-id}/replies", Documented(reply.Path));
        Assert.Equal($"teams/{Team}/channels/{Channel}/messages/1616989510408/replies", Uri.UnescapeDataString(reply.Path));
    }

    [Fact]
    public void Address_GroupChat_IsTheChatsMessagesEvenForAReply()
    {
        var address = TeamsGraphAddress.Of(Reference("19:2da4c29f6d7041eca70b638b43d45437@thread.v2", "groupChat", null), "1616964509832", out _)!;

        Assert.Equal(TeamsGraphListing.ChatMessages, address.Listing);
        Assert.Equal("GET /chats/{chat-id}/messages", Documented(address.Path));
    }

    [Theory]
    [InlineData(Channel, "channel", null, "channelData.team.aadGroupId")]
    [InlineData("a:1xZAdr8XUSqTzwNSzPfFfNsVw7Wf2Zl3m", "personal", null, "is not a Graph chat id")]
    [InlineData(Channel, null, Team, "conversation.conversationType")]
    public void Address_NotEnoughToAskGraph_IsNoneWithTheReason(string conversation, string? type, string? team, string reason)
    {
        Assert.Null(TeamsGraphAddress.Of(Reference(conversation, type, team), null, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TheReferencesExampleAnswer_GivesEachMessageItsIdAndTime()
    {
        var page = TeamsGraphPage.Read(ExampleAnswer("chatmessage-list-replies.md"));

        Assert.Equal(["1616989753153", "1616989750004", "1616989747416"], page.Messages.Select(m => m.Id));
        Assert.Equal(DateTimeOffset.Parse("2021-03-29T03:49:13.153Z", System.Globalization.CultureInfo.InvariantCulture), page.Messages[0].CreatedAt);
        Assert.All(page.Messages, m => Assert.Empty(m.Attachments));
        Assert.Null(page.NextLink);
    }

    [Fact]
    public void CarriesKey_OurCardAsGraphShowsIt_IsRecognisedAndOtherKeysAreNot()
    {
        var card = AdaptiveCardRenderer.Render(OutgoingMessage.Plain("🔥 disk full") with { DeliveryKey = "alert:9:firing" });
        // Graph gives a card's JSON as a string in the attachment's content (chatMessageAttachment).
        var attachment = new TeamsGraphAttachment(AdaptiveCardRenderer.ContentType, card.ToJsonString());

        Assert.True(TeamsGraphPostFinder.CarriesKey(attachment, AdaptiveCardRenderer.DeliveryElementId("alert:9:firing")));
        Assert.False(TeamsGraphPostFinder.CarriesKey(attachment, AdaptiveCardRenderer.DeliveryElementId("alert:9:resolved")));
        Assert.False(TeamsGraphPostFinder.CarriesKey(attachment with { ContentType = "reference" }, AdaptiveCardRenderer.DeliveryElementId("alert:9:firing")));
        Assert.False(TeamsGraphPostFinder.CarriesKey(attachment with { Content = "{not json" }, AdaptiveCardRenderer.DeliveryElementId("alert:9:firing")));
    }

    [Fact]
    public void CarriesDeliveryKey_CardOrMentionOnly_OnlyACardCanBeFoundAgain()
    {
        var card = OutgoingMessage.Plain("🔥 disk full") with { DeliveryKey = "alert:9:firing" };
        // An escalation that is only a mention goes out as the activity's text with a mention entity: no card, no key.
        var mentionOnly = OutgoingMessage.Plain("📟 <at>3f2504e0-4f89-41d3-9a0c-0305e82c3301</at>") with { DeliveryKey = "escalation:9" };

        Assert.True(Integrations.Teams.Connector.TeamsActivities.CarriesDeliveryKey(card));
        Assert.False(Integrations.Teams.Connector.TeamsActivities.CarriesDeliveryKey(mentionOnly));
    }

    [Fact]
    public void CarriesKey_AttachmentPropertiesUsed_AreTheDocumentedOnes()
    {
        Assert.Contains("contentType", GraphContract.Instance.AttachmentProperties);
        Assert.Contains("content", GraphContract.Instance.AttachmentProperties);
    }

    private static TeamsConversationReference Reference(string conversation, string? type, string? team) =>
        new(conversation, new Uri("https://smba.trafficmanager.net/emea/"), null, "28:bot", "ChatOps", type, team);

    /// <summary>The documented operation a path of ours is, per the vendored reference pages.</summary>
    private static string Documented(string path)
    {
        var operation = GraphContract.Instance.OperationOf("GET", "/" + string.Join('/', path.Split('/').Select(Uri.UnescapeDataString)));
        Assert.NotNull(operation);
        return $"{operation.Method} {operation.Template}";
    }

    /// <summary>The JSON of the first example response in a vendored reference page.</summary>
    private static string ExampleAnswer(string page)
    {
        var text = SpecFiles.Read("graph", "api", page).Replace("\r\n", "\n", StringComparison.Ordinal);
        return ExampleResponse().Match(text).Groups[1].Value;
    }

    [GeneratedRegex(@"```http\nHTTP/1\.1 200 OK\nContent-type: application/json\n\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleResponse();
}
