using ChatOps.Bot.Commands;
using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>Help and refusals go to the asker alone; what others need to see stays with the channel.</summary>
public sealed class ReplyAudienceTests
{
    private static readonly CommandParser Parser = new(TestCatalog.Instance, ["dev", "test", "prod"]);

    [Theory]
    [InlineData("help")]
    [InlineData("help up")]
    [InlineData("/env st test")]
    [InlineData("tell me a joke")]
    [InlineData("/env up tset")]
    public void IsForAskerAlone_HelpOrAMessageThatIsNoCommand_True(string text)
    {
        Assert.True(ReplyAudience.IsForAskerAlone(Parser.Parse(text)));
    }

    [Theory]
    [InlineData(nameof(CommandError.Unauthorized))]
    [InlineData(nameof(CommandError.Refused))]
    [InlineData(nameof(CommandError.UnknownEnvironment))]
    [InlineData(nameof(CommandError.BadArgCount))]
    [InlineData(nameof(CommandError.ParseFailed))]
    public void IsForAskerAlone_CommandRefused_True(string error)
    {
        Assert.True(ReplyAudience.IsForAskerAlone(Parser.Parse("/env up prod"), CommandResult.Fail(Enum.Parse<CommandError>(error), "no")));
    }

    [Theory]
    [InlineData("/env status test")]
    [InlineData("/env list")]
    [InlineData("/env up test")]
    [InlineData("/env lock test")]
    public void IsForAskerAlone_CommandThatRan_False(string text)
    {
        var outcome = Assert.IsType<Parsed>(Parser.Parse(text));

        Assert.False(ReplyAudience.IsForAskerAlone(outcome, CommandResult.Ok("done")));
    }

    [Fact]
    public void IsForAskerAlone_CommandBrokeWhileRunning_False()
    {
        Assert.False(ReplyAudience.IsForAskerAlone(Parser.Parse("/env up test"), CommandResult.Fail(CommandError.Failed, "the provider is down")));
    }

    [Fact]
    public void IsForAskerAlone_QuestionForAMissingArgument_False()
    {
        var outcome = Assert.IsType<NeedsArgument>(Parser.Parse("/env up"));

        Assert.False(ReplyAudience.IsForAskerAlone(outcome));
    }

    [Fact]
    public void ForAsker_AddressesTheMessageToThePlatformsIdOfTheAsker()
    {
        var message = ReplyAudience.ForAsker(OutgoingMessage.Plain("no"), new ChatUser("slack", "U0CAROL", "carol"));

        Assert.Equal(("no", "U0CAROL"), (message.Text, message.VisibleTo));
    }
}
