using ChatOps.Bot.Commands;
using ChatOps.Bot.Commands.Env;
using ChatOps.Bot.Environments;

namespace ChatOps.Bot.Tests.Commands;

public sealed class CatalogTests
{
    private static readonly CommandGroup Spare = new("spare", [], "A group only these tests use.");

    [Fact]
    public void Catalog_EveryExample_ParsesToItsOwnVerb()
    {
        var parser = new CommandParser(TestCatalog.Instance, ["dev", "test", "prod"]);
        foreach (var verb in TestCatalog.Instance.Verbs)
        {
            foreach (var example in verb.Examples)
            {
                var outcome = parser.Parse(example);
                var parsed = Assert.IsType<Parsed>(outcome);
                Assert.Same(verb, parsed.Invocation.Verb);
            }
        }
    }

    [Fact]
    public void Catalog_BuiltFromRegisteredCommands_HasEveryGroupOnce()
    {
        Assert.Equal(["env", "pulse", "alert"], TestCatalog.Instance.Groups.Select(g => g.Name));
    }

    [Fact]
    public void Constructor_TwoCommandsWithOneWord_RefusesNamingBoth()
    {
        var first = new VerbDefinition { Group = Spare, Name = "spin", Summary = "one" };
        var second = new VerbDefinition { Group = Spare, Name = "turn", Aliases = ["SPIN"], Summary = "two" };

        var error = Assert.Throws<InvalidOperationException>(() => new CommandCatalog([first, second]));

        Assert.Contains("'spare SPIN'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SameWordInDifferentGroups_IsAllowed()
    {
        var other = new CommandGroup("other", [], "Another group.");

        var catalog = new CommandCatalog([
            new VerbDefinition { Group = Spare, Name = "list", Summary = "one" },
            new VerbDefinition { Group = other, Name = "list", Summary = "two" },
        ]);

        Assert.Equal(2, catalog.Verbs.Count);
    }

    [Fact]
    public void Constructor_TwoCommandsOwningOneButton_Refuses()
    {
        var first = new VerbDefinition { Group = Spare, Name = "a", Summary = "one", Buttons = ["press:"] };
        var second = new VerbDefinition { Group = Spare, Name = "b", Summary = "two", Buttons = ["press:"] };

        var error = Assert.Throws<InvalidOperationException>(() => new CommandCatalog([first, second]));

        Assert.Contains("button owner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandRegistry_TwoHandlersForOneCommand_RefusesNamingBoth()
    {
        var verb = new VerbDefinition { Group = Spare, Name = "spin", Summary = "one" };

        var error = Assert.Throws<InvalidOperationException>(() => new CommandRegistry([new SpareCommand(verb), new SpareCommand(verb)], new CommandCatalog([verb])));

        Assert.Equal("Two commands are named 'spare spin': SpareCommand and SpareCommand. Each name must belong to one command.", error.Message);
    }

    [Fact]
    public void CommandRegistry_HandlerOutsideTheCatalog_Refuses()
    {
        var verb = new VerbDefinition { Group = Spare, Name = "spin", Summary = "one" };

        var error = Assert.Throws<InvalidOperationException>(() => new CommandRegistry([new SpareCommand(verb)], new CommandCatalog([])));

        Assert.Contains("SpareCommand is not in the command catalog", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCommands_EveryCommand_HasAHandlerForItsDefinition()
    {
        var registrations = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddCommands();

        Assert.Equal(TestCatalog.Instance.Verbs.Count, registrations.Count(d => d.ServiceType == typeof(IChatCommand)));
    }

    [Fact]
    public void AddCommands_EnvironmentVerbs_TellThePolicyTheirDeclaredTierAndConfirmDefault()
    {
        var envVerbs = TestCatalog.Instance.VerbsOf(EnvCommands.Group).ToList();

        Assert.Equal(envVerbs.Select(v => v.Name).Order(StringComparer.Ordinal), TestCatalog.Policies.Names.Order(StringComparer.Ordinal));
        Assert.All(envVerbs, v => Assert.Equal(new VerbPolicy(v.Name, v.Tier, v.ConfirmByDefault), TestCatalog.Policies.Get(v.Name)));
        Assert.Equal(["balance", "cancel", "destroy", "halt", "lock", "provision", "sorry", "unlock", "up"], TestCatalog.Policies.Changing.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Definitions_RunVerbs_AreNamedAsTheirRunsAreStored()
    {
        var runVerbs = TestCatalog.Instance.Verbs.Where(v => v.Run is not null).ToList();

        Assert.All(runVerbs, v => Assert.Equal(v.Run!.Verb, v.Name));
        Assert.Equal(TestCatalog.Kinds.Names.Order(), runVerbs.Select(v => v.Name).Order());
    }

    [Fact]
    public void Catalog_ADefinitionWhoseRunsCarryAnotherName_IsRefused()
    {
        var verb = new VerbDefinition { Group = Spare, Name = "spin", Summary = "Spins.", Run = ChatOps.Bot.Workflows.RunKind.OnNodes("up", "spinning {env}", ChatOps.Integrations.Infrastructure.InfraVerb.Up) };

        var error = Assert.Throws<InvalidOperationException>(() => new CommandCatalog([verb]));

        Assert.Equal("`spare spin` starts runs named 'up': a command's runs carry its own name.", error.Message);
    }

    [Theory]
    [InlineData("up", "bringing test up")]
    [InlineData("provision", "provisioning test")]
    [InlineData("halt", "halting test")]
    [InlineData("destroy", "destroying test")]
    [InlineData("balance", "rebalancing test")]
    [InlineData("sorry", "switching the sorry page of test")]
    public void Definitions_RunVerbs_AreSpokenOfAsTheirDefinitionsSay(string verb, string spoken) =>
        Assert.Equal(spoken, TestCatalog.Kinds.Gerund(verb, "test"));

    [Fact]
    public void ButtonOwner_DeclaredPrefixAndNumber_FindsTheCommandThatDeclaredIt()
    {
        var owner = TestCatalog.Instance.ButtonOwner("cancel-run:42");

        Assert.Equal((CancelCommand.Definition, 42L), owner);
    }

    [Theory]
    [InlineData("cancel-run:")]
    [InlineData("cancel-run:x")]
    [InlineData("confirm:42")]
    public void ButtonOwner_UndeclaredOrWithoutNumber_IsNull(string actionId) =>
        Assert.Null(TestCatalog.Instance.ButtonOwner(actionId));

    [Fact]
    public void Parse_SingleVerbGroup_IsThatVerbAndRefusesArguments()
    {
        var parser = new CommandParser(TestCatalog.Instance, ["dev"]);

        Assert.Same(PulseNowCommand.Definition, Assert.IsType<Parsed>(parser.Parse("/pulse")).Invocation.Verb);
        Assert.Equal("`/pulse` takes no arguments: post every KPI's pulse to the pulse channels now.",
            Assert.IsType<ParseFailure>(parser.Parse("/pulse now")).Message);
    }

    [Fact]
    public void SlashUsage_GroupAndSingleVerb_ReadAsTyped()
    {
        Assert.Equal("/env up <env>", UpCommand.Definition.SlashUsage);
        Assert.Equal("/pulse", PulseNowCommand.Definition.SlashUsage);
    }

    [Theory]
    [InlineData("tset", "test", 1)]
    [InlineData("prdo", "prod", 1)]
    [InlineData("up", "up", 0)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_KnownPairs(string a, string b, int expected) =>
        Assert.Equal(expected, Suggestions.Distance(a, b));

    [Fact]
    public void Tokenizer_QuotesAfterKey_StayTogether()
    {
        var tokens = Tokenizer.Split("sorry prod on message=\"we'll be back\" now");

        Assert.Equal(["sorry", "prod", "on", "message=we'll be back", "now"], tokens);
    }

    [Fact]
    public void Tokenizer_TypographicQuotes_StayTogether()
    {
        var tokens = Tokenizer.Split("lock test “big demo”");

        Assert.Equal(["lock", "test", "big demo"], tokens);
    }

    /// <summary>A command that only declares itself.</summary>
    private sealed class SpareCommand(VerbDefinition definition) : IChatCommand
    {
        public VerbDefinition Definition => definition;

        public Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => Task.FromResult(CommandResult.Ok("spun"));
    }
}
