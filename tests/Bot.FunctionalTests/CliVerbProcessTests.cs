using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// Every command-line verb through the real binary, as an operator types it: <c>--help</c> prints the usage on standard
/// output with exit code 0, and an unknown argument is named on standard error with exit code 2.
/// </summary>
public sealed class CliVerbProcessTests
{
    public static TheoryData<string> Verbs => [.. CliVerbs.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task BotBinary_HelpThenAnUnknownArgument_UsageWith0ThenTheArgumentNamedWith2(string verb)
    {
        using var root = new BotRoot("chatops-cli-verb-");
        var help = await BotProcess.RunCommandAsync(root.Path, [.. verb.Split(' '), "--help"]);
        var unknown = await BotProcess.RunCommandAsync(root.Path, [.. verb.Split(' '), "--bogus"]);

        Assert.True(help.ExitCode == 0, help.StandardError);
        Assert.StartsWith($"Usage: {verb} ", help.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("", unknown.StandardOutput);
        Assert.Contains($"Unknown argument '--bogus'.{Environment.NewLine}Usage: {verb} ", unknown.StandardError, StringComparison.Ordinal);
    }
}
