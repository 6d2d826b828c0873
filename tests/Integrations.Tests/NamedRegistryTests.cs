namespace ChatOps.Integrations.Tests;

public sealed class NamedRegistryTests
{
    private sealed record Alpha(string Name);

    private sealed record Beta(string Name);

    [Fact]
    public void Constructor_TwoServicesWithOneName_RefusesNamingBoth()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new NamedRegistry<object>([new Alpha("Local"), new Beta("local")], Name, "compute provider"));

        Assert.Equal("Two compute providers are named 'local': Alpha and Beta. Each name must belong to one compute provider.", error.Message);
    }

    [Fact]
    public void Constructor_OneServiceWithTwoNames_FindsItUnderEither()
    {
        var alpha = new Alpha("a");

        var sut = new NamedRegistry<Alpha>([alpha], _ => ["up", "start"], "command");

        Assert.Same(alpha, sut.Get("START"));
        Assert.Same(alpha, sut.Find("up"));
        Assert.Single(sut.All);
    }

    [Fact]
    public void Get_UnknownName_SaysWhichNamesAreKnown()
    {
        var sut = new NamedRegistry<Alpha>([new Alpha("slack"), new Alpha("webchat")], a => a.Name, "chat sender");

        var error = Assert.Throws<InvalidOperationException>(() => sut.Get("discord"));

        Assert.Equal("No chat sender is named 'discord'. Known: slack, webchat.", error.Message);
        Assert.Null(sut.Find("discord"));
    }

    private static string Name(object item) => item switch
    {
        Alpha a => a.Name,
        Beta b => b.Name,
        _ => "",
    };
}
