using System.Text.Json.Nodes;
using ChatOps.Integrations.Discord.Interactions;

namespace ChatOps.Integrations.Tests.Discord;

public sealed class DiscordInteractionParserTests
{
    private static readonly FixedVocabulary Vocabulary = new();

    [Fact]
    public void Parse_CommandWithSubcommandInAServer_ReadsPathOptionsAndMemberUser()
    {
        var read = DiscordInteractionParser.Parse(DiscordSamples.Element(DiscordSamples.Command("1200000000000000002", "env", "up", ("env", "test"))));

        Assert.Equal(DiscordInteractionKind.Command, read.Kind);
        Assert.Equal(["env", "up"], read.Command);
        Assert.Equal([new DiscordOption("env", "test")], read.Options);
        Assert.Equal(("discord", DiscordSamples.UserId, "Ada Lovelace"), (read.User.Platform, read.User.Id, read.User.DisplayName));
        Assert.Equal("discord:" + DiscordSamples.Channel, read.Destination.ToString());
        Assert.Equal("token-1200000000000000002", read.Token);
        Assert.Equal("env up test", DiscordCommandText.Of(read, Vocabulary));
    }

    [Fact]
    public void Parse_CommandInADirectMessage_TakesTheTopLevelUser()
    {
        var interaction = DiscordSamples.InDirectMessage(DiscordSamples.Command("1200000000000000003", "env", "status", ("env", "dev")));

        var read = DiscordInteractionParser.Parse(DiscordSamples.Element(interaction));

        Assert.Equal(DiscordSamples.UserId, read.User.Id);
        Assert.Equal("Ada Lovelace", read.User.DisplayName);
    }

    [Fact]
    public void Parse_UserWithoutGlobalName_IsNamedByUsername()
    {
        var interaction = DiscordSamples.With(DiscordSamples.Command("1200000000000000004", "pulse", null), "member",
            new JsonObject { ["user"] = DiscordSamples.User(globalName: null, username: "grace") });

        var read = DiscordInteractionParser.Parse(DiscordSamples.Element(interaction));

        Assert.Equal("grace", read.User.DisplayName);
        Assert.Equal("pulse", DiscordCommandText.Of(read, Vocabulary));
    }

    [Fact]
    public void Text_OptionsOfEveryKind_BecomeTheWordsTheParserReads()
    {
        var read = DiscordInteractionParser.Parse(DiscordSamples.Element(DiscordSamples.Command("1200000000000000005", "env", "sorry",
            ("env", "prod"), ("state", "on"), ("message", "back at \"nine\" o'clock"))));

        // The environment and the choice alone; the named-only text as message=…, quoted with the quote it does not contain.
        Assert.Equal("env sorry prod on message='back at \"nine\" o'clock'", DiscordCommandText.Of(read, Vocabulary));
    }

    [Fact]
    public void Text_WeightsPairsAndNumbers_GoInAsTyped()
    {
        var balance = DiscordInteractionParser.Parse(DiscordSamples.Element(DiscordSamples.Command("1200000000000000006", "env", "balance",
            ("env", "test"), ("weights", "web1=80 web2=20"))));
        var ack = DiscordInteractionParser.Parse(DiscordSamples.Element(DiscordSamples.Command("1200000000000000007", "alert", "ack", ("id", 42))));
        var lockText = DiscordInteractionParser.Parse(DiscordSamples.Element(DiscordSamples.Command("1200000000000000008", "env", "lock",
            ("env", "test"), ("reason", "release rehearsal"))));

        Assert.Equal("env balance test web1=80 web2=20", DiscordCommandText.Of(balance, Vocabulary));
        Assert.Equal("alert ack 42", DiscordCommandText.Of(ack, Vocabulary));
        Assert.Equal("env lock test \"release rehearsal\"", DiscordCommandText.Of(lockText, Vocabulary));
    }

    [Fact]
    public void Parse_SubcommandGroup_IsPartOfThePath()
    {
        var data = new JsonObject
        {
            ["name"] = "alert",
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject
            {
                ["name"] = "rules",
                ["type"] = 2,
                ["options"] = new JsonArray(new JsonObject { ["name"] = "list", ["type"] = 1 }),
            }),
        };
        var interaction = DiscordSamples.With(DiscordSamples.Command("1200000000000000009", "x", null), "data", data);

        Assert.Equal(["alert", "rules", "list"], DiscordInteractionParser.Parse(DiscordSamples.Element(interaction)).Command);
    }

    [Fact]
    public void Parse_ButtonPress_ReadsCustomIdAndTheMessageItIsOn()
    {
        var read = DiscordInteractionParser.Parse(DiscordSamples.Element(DiscordSamples.Press("1200000000000000010", "confirm:17")));

        Assert.Equal(DiscordInteractionKind.Press, read.Kind);
        Assert.Equal(("confirm:17", DiscordSamples.Message), (read.CustomId, read.MessageId));
    }

    [Fact]
    public void Parse_Autocomplete_ReadsTheFocusedOption()
    {
        var read = DiscordInteractionParser.Parse(DiscordSamples.Element(DiscordSamples.Autocomplete("1200000000000000011", "env", "up", "env", "te")));

        Assert.Equal(DiscordInteractionKind.Autocomplete, read.Kind);
        Assert.Equal(new DiscordOption("env", "te"), read.Focused);
        Assert.Equal(["env", "up"], read.Command);
    }

    public static TheoryData<string, string> BadInteractions => new()
    {
        { """{"id":"1200000000000000012","type":5,"token":"t","channel_id":"1","user":{"id":"1"},"data":{}}""", "interaction type 5 is not one this bot handles" },
        { """{"id":"1200000000000000012","type":2,"token":"t","channel_id":"1400000000000000001","data":{"name":"env"}}""", "neither member.user nor user" },
        { """{"id":"1200000000000000012","type":2,"token":"t","user":{"id":"1300000000000000007"},"data":{"name":"env"}}""", "no channel_id" },
        { """{"id":"1200000000000000012","type":2,"channel_id":"1400000000000000001","user":{"id":"1300000000000000007"},"data":{"name":"env"}}""", "has no token" },
        { """{"id":"not-a-snowflake","type":2,"token":"t","channel_id":"1400000000000000001","user":{"id":"1300000000000000007"},"data":{"name":"env"}}""", "'not-a-snowflake' is not a snowflake" },
        { """{"id":"1200000000000000012","type":2,"token":"t","channel_id":"1400000000000000001","user":{"id":"ada"},"data":{"name":"env"}}""", "user's id 'ada' is not a snowflake" },
        { """{"id":"1200000000000000012","type":2,"token":"t","channel_id":"1400000000000000001","user":{"id":"1300000000000000007"}}""", "has no data" },
        { """{"id":"1200000000000000012","type":2,"token":"t","channel_id":"1400000000000000001","user":{"id":"1300000000000000007"},"data":{"type":1}}""", "the command has no name" },
        { """{"id":"1200000000000000012","type":2,"token":"t","channel_id":"1400000000000000001","user":{"id":"1300000000000000007"},"data":{"name":"env","options":[{"name":"who","type":6,"value":"1"}]}}""", "option 'who' is of type 6" },
        { """{"id":"1200000000000000012","type":3,"token":"t","channel_id":"1400000000000000001","user":{"id":"1300000000000000007"},"data":{"custom_id":"x","component_type":3},"message":{"id":"1700000000000000001"}}""", "component type 3 is not a button" },
        { """{"id":"1200000000000000012","type":3,"token":"t","channel_id":"1400000000000000001","user":{"id":"1300000000000000007"},"data":{"custom_id":"x","component_type":2}}""", "has no message" },
        { """{"id":"1200000000000000012","type":4,"token":"t","channel_id":"1400000000000000001","user":{"id":"1300000000000000007"},"data":{"name":"env","options":[]}}""", "no focused option" },
        { """[1,2]""", "not a JSON object" },
    };

    [Theory]
    [MemberData(nameof(BadInteractions))]
    public void Parse_BadOrUnknownData_ThrowsSayingWhat(string json, string reason)
    {
        var exception = Assert.Throws<DiscordInteractionException>(() => DiscordInteractionParser.Parse(DiscordSamples.Element(JsonNode.Parse(json)!)));

        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }
}
