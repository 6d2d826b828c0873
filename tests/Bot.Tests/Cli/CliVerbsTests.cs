using ChatOps.Bot.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.Tests.Cli;

/// <summary>
/// What every command-line verb does alike, through each verb's own entry point: <c>--help</c> and <c>-h</c> print the
/// usage on standard output with exit code 0; an unknown argument, an option without its value or a flag given one is
/// named on standard error with the usage and exit code 2, before the verb does any work. The services are empty, so a
/// verb that went on to its work would fail the test.
/// </summary>
public sealed class CliVerbsTests
{
    public static TheoryData<string, string> HelpRequests =>
        [.. CliVerbs.All.SelectMany(v => new[] { "--help", "-h", "--bogus --help" }.Select(help => (v.Name, help)))];

    public static TheoryData<string, string> UnknownArguments =>
        [.. CliVerbs.All.SelectMany(v => new[] { "--bogus", "stray", "-x" }.Select(arg => (v.Name, arg)))];

    public static TheoryData<string, string> ValueOptions =>
        [.. CliVerbs.All.SelectMany(v => v.Options.Where(o => !o.IsFlag).Select(o => (v.Name, o.Name)))];

    public static TheoryData<string, string> Flags =>
        [.. CliVerbs.All.SelectMany(v => v.Options.Where(o => o.IsFlag).Select(o => (v.Name, o.Name)))];

    [Theory]
    [MemberData(nameof(HelpRequests))]
    public async Task RunAsync_Help_PrintsUsageNamingEveryOptionOnOutputAndExits0(string verb, string args)
    {
        var (code, output, error) = await RunAsync(verb, args.Split(' '));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.StartsWith($"Usage: {verb} ", output, StringComparison.Ordinal);
        Assert.All(Verb(verb).Options, o => Assert.Contains(o.Name, output, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(UnknownArguments))]
    public async Task RunAsync_UnknownArgument_NamedWithTheUsageOnErrorAndExits2(string verb, string arg)
    {
        var (code, output, error) = await RunAsync(verb, arg);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"Unknown argument '{arg}'.{Environment.NewLine}Usage: {verb} ", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ValueOptions))]
    public async Task RunAsync_OptionWithoutItsValue_NamedAndExits2(string verb, string option)
    {
        var (code, output, error) = await RunAsync(verb, option);
        var (beforeAnother, _, nextOption) = await RunAsync(verb, option, "--bogus");
        var (empty, _, emptyInline) = await RunAsync(verb, $"{option}=");

        Assert.Equal((2, 2, 2), (code, beforeAnother, empty));
        Assert.Equal("", output);
        // The option after it is not taken for its value: the refusal names the option that lacks one.
        Assert.All([error, nextOption, emptyInline], e => Assert.StartsWith($"{option} needs ", e, StringComparison.Ordinal));
        Assert.Contains($"Usage: {verb} ", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Flags))]
    public async Task RunAsync_FlagGivenAValue_NamedAndExits2(string verb, string flag)
    {
        var (code, output, error) = await RunAsync(verb, $"{flag}=yes");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"{flag} takes no value; got '{flag}=yes'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_TheVerbsWordsThenArguments_OnlyThatVerb()
    {
        Assert.All(CliVerbs.All, verb =>
            Assert.Equal([verb.Name], CliVerbs.All.Where(v => v.Matches([.. verb.Name.Split(' '), "--help"])).Select(v => v.Name)));
        Assert.False(CliVerbs.Matches(["audit"]));
        Assert.False(CliVerbs.Matches(["--urls", "http://127.0.0.1:0"]));
    }

    private static CliVerb Verb(string name) => CliVerbs.All.Single(v => v.Name == name);

    private static async Task<(int Code, string Output, string Error)> RunAsync(string verb, params string[] args)
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Verb(verb).RunAsync(services, args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
