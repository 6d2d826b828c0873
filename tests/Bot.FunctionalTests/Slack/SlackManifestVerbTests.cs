using System.Text.Json.Nodes;
using ChatOps.Bot.Commands;
using ChatOps.Bot.Inbound.Slack;
using Microsoft.Extensions.DependencyInjection;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests.Slack;

/// <summary><c>slack-manifest</c>: the app manifest from the command catalog, and clear refusals.</summary>
public sealed class SlackManifestVerbTests
{
    [Fact]
    public async Task Run_PublicUrl_PrintsCommandsScopesEventsAndRequestUrls()
    {
        var (code, output, error) = await RunAsync("--url", "https://bot.example.com");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var manifest = JsonNode.Parse(output)!;
        var env = manifest["features"]!["slash_commands"]!.AsArray().Single(c => c!["command"]!.GetValue<string>() == "/env")!;
        Assert.Equal("https://bot.example.com/slack/commands", env["url"]!.GetValue<string>());
        Assert.Contains("up <env>", env["usage_hint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(manifest["features"]!["slash_commands"]!.AsArray(), c => c!["command"]!.GetValue<string>() == "/help");
        var settings = manifest["settings"]!;
        Assert.Equal("https://bot.example.com/slack/events", settings["event_subscriptions"]!["request_url"]!.GetValue<string>());
        Assert.Equal("https://bot.example.com/slack/interactions", settings["interactivity"]!["request_url"]!.GetValue<string>());
        Assert.Equal(["app_mention", "message.im"], settings["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("commands", manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.False(settings["socket_mode_enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Run_UrlWithPathAndName_KeepsThePathPrefix()
    {
        var (code, output, _) = await RunAsync("--url=https://ops.example.com/chatops", "--name", "Show Bot");

        Assert.Equal(0, code);
        var manifest = JsonNode.Parse(output)!;
        Assert.Equal("Show Bot", manifest["display_information"]!["name"]!.GetValue<string>());
        Assert.Equal("https://ops.example.com/chatops/slack/events", manifest["settings"]!["event_subscriptions"]!["request_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_SocketMode_NeedsNoUrl()
    {
        var (code, output, _) = await RunAsync("--socket-mode");

        Assert.Equal(0, code);
        var settings = JsonNode.Parse(output)!["settings"]!;
        Assert.True(settings["socket_mode_enabled"]!.GetValue<bool>());
        Assert.Null(settings["event_subscriptions"]!["request_url"]);
    }

    [Theory]
    [InlineData("--url is required")]
    [InlineData("--url needs the public https address", "--url")]
    [InlineData("not a public https base URL", "--url", "http://bot.example.com")]
    [InlineData("not a public https base URL", "--url", "bot.example.com")]
    [InlineData("not a public https base URL", "--url", "https://bot.example.com/?x=1")]
    [InlineData("Unknown argument '--urll'", "--urll", "https://bot.example.com")]
    [InlineData("--name needs the app's name", "--url", "https://bot.example.com", "--name")]
    [InlineData("--name must be 1 to 35 characters", "--url", "https://bot.example.com", "--name", "a name far longer than Slack allows for apps")]
    public async Task Run_BadArguments_ExplainsAndExitsWith2(string expected, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BotBinary_SlackManifestVerb_PrintsTheManifestOrExitsWith2()
    {
        using var root = new BotRoot("chatops-manifest-");
        var good = await BotProcess.RunCommandAsync(root.Path, "slack-manifest", "--url", "https://bot.example.com");
        var bad = await BotProcess.RunCommandAsync(root.Path, "slack-manifest");

        Assert.True(good.ExitCode == 0, good.StandardError);
        Assert.Equal("https://bot.example.com/slack/commands", JsonNode.Parse(good.StandardOutput)!["features"]!["slash_commands"]![0]!["url"]!.GetValue<string>());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--url is required", bad.StandardError, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // The catalog the host builds from its registered commands, as the bot's own `slack-manifest` uses it.
        await using var services = new ServiceCollection().AddCommands().BuildServiceProvider();
        var code = await new SlackManifestVerb().RunAsync(services, args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
