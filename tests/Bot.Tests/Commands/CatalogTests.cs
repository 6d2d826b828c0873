using ChatOps.Bot.Commands;

namespace ChatOps.Bot.Tests.Commands;

public sealed class CatalogTests
{
    [Fact]
    public void Catalog_VerbNamesAndAliases_AreUnique()
    {
        var words = CommandCatalog.EnvCommand.Verbs.SelectMany(v => new[] { v.Name }.Concat(v.Aliases)).ToList();

        Assert.Equal(words.Count, words.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Catalog_EveryExample_ParsesToItsOwnVerb()
    {
        var parser = new CommandParser(["dev", "test", "prod"]);
        foreach (var verb in CommandCatalog.EnvCommand.Verbs)
        {
            foreach (var example in verb.Examples)
            {
                var outcome = parser.Parse(example);
                var parsed = Assert.IsType<Parsed>(outcome);
                Assert.Equal(verb.Name, parsed.Invocation.Verb.Name);
            }
        }
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
}
