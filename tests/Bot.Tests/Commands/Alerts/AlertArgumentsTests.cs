using ChatOps.Bot.Commands;
using ChatOps.Bot.Commands.Alerts;

namespace ChatOps.Bot.Tests.Commands.Alerts;

/// <summary>What follows <c>/alert</c>, read by the words each alert command's definition declares.</summary>
public sealed class AlertArgumentsTests
{
    private static CommandParser CreateSut() => new(TestCatalog.Instance, ["dev", "test", "prod"]);

    [Theory]
    [InlineData("/alert")]
    [InlineData("/alert list")]
    [InlineData("/alerts ls")]
    public void Parse_ListOrNothing_ReachesList(string text) =>
        Assert.Same(AlertListCommand.Definition, Assert.IsType<Parsed>(CreateSut().Parse(text)).Invocation.Verb);

    [Theory]
    [InlineData("/alert ack 42")]
    [InlineData("/alert acknowledge #42")]
    public void Parse_AckWithNumber_IsTypedToThatAlert(string text)
    {
        var invocation = Assert.IsType<Parsed>(CreateSut().Parse(text)).Invocation;

        Assert.Same(AlertAckCommand.Definition, invocation.Verb);
        Assert.Equal(42, AlertArguments.Id(invocation));
        Assert.Equal("alert ack 42", invocation.Text);
    }

    [Fact]
    public void Parse_ResolveWithoutNumber_AsksWhichAlert()
    {
        var question = Assert.IsType<NeedsArgument>(CreateSut().Parse("/alert resolve"));

        Assert.Equal("Which alert should I resolve? Its number, like `42`.", question.Question);
        Assert.Equal("alert resolve", question.Text);
    }

    [Theory]
    [InlineData("/alert ack forty", "`forty` is not an alert number. Usage: `/alert ack <id>`")]
    [InlineData("/alert list now", "`/alert list` takes no arguments.")]
    [InlineData("/alert mute 2h", "Say which alerts and for how long. Usage: `/alert mute <matcher> <duration>`, e.g. `/alert mute alertname=DiskFull 2h`.")]
    [InlineData("/alert mute alertname=DiskFull soon", "`soon` is not a duration: use minutes, hours or days, like `30m`, `2h`, `1d`.")]
    [InlineData("/alert snooze 1", "`/alert` knows `list`, `ack`, `resolve`, `mute`, not `snooze`.")]
    public void Parse_Bad_SaysSpecificallyWhy(string text, string expected) =>
        Assert.Equal(expected, Assert.IsType<ParseFailure>(CreateSut().Parse(text)).Message);

    [Fact]
    public void Parse_MisspeltVerb_OffersTheCorrectedCommand()
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse("/alert ackk 42"));

        Assert.Equal(["/alert ack 42"], failure.Corrections);
    }

    [Fact]
    public void Parse_Mute_CarriesMatcherAndDuration()
    {
        var invocation = Assert.IsType<Parsed>(CreateSut().Parse("/alert mute alertname=DiskFull environment=prod 1h30m")).Invocation;

        Assert.Same(AlertMuteCommand.Definition, invocation.Verb);
        Assert.Equal("alertname=DiskFull,environment=prod", invocation["matcher"]);
        Assert.Equal("01:30:00", invocation["duration"]);
    }
}
