using ChatOps.Bot.Commands;

namespace ChatOps.Bot.Tests.Commands;

public sealed class CommandParserTests
{
    private static CommandParser CreateSut() => new(TestCatalog.Instance, ["dev", "test", "prod"]);

    [Theory]
    [InlineData("/env up test")]
    [InlineData("env up test")]
    [InlineData("up test")]
    [InlineData("@bot bring up test")]
    [InlineData("please bring up test")]
    [InlineData("bring test up")]
    [InlineData("could you start the test environment please?")]
    [InlineData("bot, spin up test")]
    public void Parse_ConversationalForms_ReachUp(string text)
    {
        var parsed = Assert.IsType<Parsed>(CreateSut().Parse(text));

        Assert.Equal("up", parsed.Invocation.Verb.Name);
        Assert.Equal("test", parsed.Invocation.Environment);
    }

    [Theory]
    [InlineData("put prod in sorry mode", "on")]
    [InlineData("put the prod environment into sorry mode", "on")]
    [InlineData("take prod out of sorry mode", "off")]
    [InlineData("/env sorry prod on", "on")]
    [InlineData("/env sorry on prod", "on")]
    public void Parse_SorryPhrases_SetState(string text, string state)
    {
        var parsed = Assert.IsType<Parsed>(CreateSut().Parse(text));

        Assert.Equal("sorry", parsed.Invocation.Verb.Name);
        Assert.Equal("prod", parsed.Invocation.Environment);
        Assert.Equal(state, parsed.Invocation["state"]);
    }

    [Fact]
    public void Parse_SorryMessageWithApostrophe_KeepsEveryWord()
    {
        var parsed = Assert.IsType<Parsed>(CreateSut().Parse("/env sorry prod on message='we're back at 9'"));

        Assert.Equal("we're back at 9", parsed.Invocation["message"]);
    }

    [Fact]
    public void Parse_UnclosedQuote_FailsInsteadOfDroppingText()
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse("/env sorry prod on message='we are back"));

        Assert.Equal(CommandError.ParseFailed, failure.Error);
        Assert.Contains("is never closed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SorryWithQuotedMessage_KeepsWholeMessage()
    {
        var parsed = Assert.IsType<Parsed>(CreateSut().Parse("/env sorry prod on message=\"Back at 9 pm, sorry!\""));

        Assert.Equal("Back at 9 pm, sorry!", parsed.Invocation["message"]);
    }

    [Theory]
    [InlineData("/env provision test version=7", "7")]
    [InlineData("/env provision test 1.4.2", "1.4.2")]
    [InlineData("deploy 2.0.0-rc.1 to test", "2.0.0-rc.1")]
    public void Parse_Provision_TakesVersion(string text, string version)
    {
        var parsed = Assert.IsType<Parsed>(CreateSut().Parse(text));

        Assert.Equal("provision", parsed.Invocation.Verb.Name);
        Assert.Equal(version, parsed.Invocation["version"]);
    }

    [Theory]
    [InlineData("/env provision test version=$(rm -rf /)")]
    [InlineData("/env provision test version=\"$(touch /tmp/x)\"")]
    [InlineData("/env provision test version=`id`")]
    [InlineData("/env provision test version=7;reboot")]
    [InlineData("/env provision test version=../../etc")]
    public void Parse_VersionWithShellMetacharacters_IsRefusedAsData(string text)
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse(text));

        Assert.Equal(CommandError.ParseFailed, failure.Error);
        Assert.Contains("is not a version", failure.Message);
    }

    [Fact]
    public void Parse_Typo_SuggestsEnvironment()
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse("/env up tset"));

        Assert.Equal(CommandError.UnknownEnvironment, failure.Error);
        Assert.Contains("Did you mean `test`?", failure.Message);
    }

    [Fact]
    public void Parse_UnknownEnvironmentFarFromAny_ListsKnownOnes()
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse("/env up staging"));

        Assert.Contains("Known environments: `dev`, `prod`, `test`", failure.Message);
    }

    [Fact]
    public void Parse_VerbTypo_SuggestsVerb()
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse("/env provison test"));

        Assert.Equal(CommandError.UnknownCommand, failure.Error);
        Assert.Contains("Did you mean `provision`?", failure.Message);
    }

    [Fact]
    public void Parse_Gibberish_IsUnknownWithoutSuggestion()
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse("what is the weather like"));

        Assert.Equal(CommandError.UnknownCommand, failure.Error);
        Assert.DoesNotContain("Did you mean", failure.Message);
    }

    [Fact]
    public void Parse_MissingEnvironment_AsksWhichOne()
    {
        var question = Assert.IsType<NeedsArgument>(CreateSut().Parse("halt"));

        Assert.Equal("env", question.Missing.Name);
        Assert.Contains("Which environment", question.Question);
    }

    [Fact]
    public void Parse_QuestionTextPlusAnswer_CompletesCommand()
    {
        var sut = CreateSut();
        var question = Assert.IsType<NeedsArgument>(sut.Parse("@bot halt"));

        var parsed = Assert.IsType<Parsed>(sut.Parse($"{question.Text} dev"));

        Assert.Equal("halt", parsed.Invocation.Verb.Name);
        Assert.Equal("dev", parsed.Invocation.Environment);
    }

    [Fact]
    public void Parse_Weights_ParsedPerNode()
    {
        var parsed = Assert.IsType<Parsed>(CreateSut().Parse("/env balance prod web1=80 web2=20"));

        Assert.Equal(80, parsed.Invocation.Weights["web1"]);
        Assert.Equal(20, parsed.Invocation.Weights["web2"]);
    }

    [Theory]
    [InlineData("/env balance prod web1=-1")]
    [InlineData("/env balance prod web1=999")]
    [InlineData("/env balance prod web1=lots")]
    public void Parse_BadWeight_IsRefused(string text)
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse(text));

        Assert.Contains("weight", failure.Message);
    }

    [Fact]
    public void Parse_UnknownNamedArgument_SaysWhatItTakes()
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse("/env up test colour=blue"));

        Assert.Contains("has no argument `colour`", failure.Message);
    }

    [Fact]
    public void Parse_LockReason_KeepsRestOfLine()
    {
        var parsed = Assert.IsType<Parsed>(CreateSut().Parse("/env lock test for the demo at 3pm"));

        Assert.Equal("for the demo at 3pm", parsed.Invocation["reason"]);
    }

    [Fact]
    public void Parse_TooLongReason_IsRefused()
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse("/env lock test " + new string('x', CommandParser.MaxTextLength + 1)));

        Assert.Contains("too long", failure.Message);
    }

    [Theory]
    [InlineData("help", null)]
    [InlineData("/help provision", "provision")]
    [InlineData("", null)]
    [InlineData("@bot", null)]
    public void Parse_Help_IsRequested(string text, string? topic)
    {
        var help = Assert.IsType<HelpRequested>(CreateSut().Parse(text));

        Assert.Equal(topic, help.Topic);
    }

    [Fact]
    public void Parse_BadChoice_NamesAllowedValues()
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse("/env sorry prod state=maybe"));

        Assert.Contains("`on` or `off`", failure.Message);
    }

    [Theory]
    [InlineData("/env stauts test", "/env status test")]
    [InlineData("/env up tset", "/env up test")]
    [InlineData("@bot please provison test version=2.1", "/env provision test version=2.1")]
    [InlineData("/env sorry tset on message=\"Back at 9pm\"", "/env sorry test on message=\"Back at 9pm\"")]
    [InlineData("/env sorry on env=tset", "/env sorry on env=test")]
    [InlineData("/alert akc 42", "/alert ack 42")]
    public void Parse_MisspeltWord_OffersTheWholeCommandCorrected(string text, string expected)
    {
        var failure = Assert.IsType<ParseFailure>(CreateSut().Parse(text));

        Assert.Equal(expected, Assert.Single(failure.Corrections));
    }

    [Theory]
    [InlineData("/env stauts test")]
    [InlineData("/env up tset")]
    [InlineData("@bot please provison test version=2.1")]
    [InlineData("/env sorry tset on message=\"Back at 9pm\"")]
    [InlineData("/env sorry on env=tset")]
    [InlineData("/alert akc 42")]
    [InlineData("/alert mtue alertname=DiskFull 2h")]
    public void Parse_Correction_ParsesIntoACommand(string text)
    {
        var sut = CreateSut();
        var correction = Assert.Single(Assert.IsType<ParseFailure>(sut.Parse(text)).Corrections);

        Assert.IsType<Parsed>(sut.Parse(correction));
    }

    [Fact]
    public void Parse_UnknownWordWithNothingClose_OffersNoCorrection()
    {
        Assert.Empty(Assert.IsType<ParseFailure>(CreateSut().Parse("/env frobnicate test")).Corrections);
    }
}
