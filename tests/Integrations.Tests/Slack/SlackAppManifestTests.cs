using System.Text.Json.Nodes;
using ChatOps.Integrations.Slack;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Slack;

public sealed class SlackAppManifestTests
{
    private static readonly SlackManifestCommand[] Commands =
    [
        new("/env", "Run an environment workflow", "up test | sorry prod on"),
        new("alert", "Acknowledge or list alerts", "ack 42"),
        new("/pulse", "Show the numbers now"),
    ];

    [Fact]
    public void Build_RequestUrls_PointAtTheThreeEndpoints()
    {
        var manifest = SlackAppManifest.Build("ChatOps", "Operations from chat", Commands, new Uri("https://bot.example.com/ops"), socketMode: false);

        var commands = manifest["features"]!["slash_commands"]!.AsArray();
        Assert.Equal(["/env", "/alert", "/pulse"], commands.Select(c => c!["command"]!.GetValue<string>()));
        Assert.All(commands, c => Assert.Equal("https://bot.example.com/ops/slack/commands", c!["url"]!.GetValue<string>()));
        Assert.Equal("up test | sorry prod on", commands[0]!["usage_hint"]!.GetValue<string>());
        Assert.Null(commands[2]!["usage_hint"]);
        var settings = manifest["settings"]!;
        Assert.Equal("https://bot.example.com/ops/slack/events", settings["event_subscriptions"]!["request_url"]!.GetValue<string>());
        Assert.Equal(["app_mention", "message.im"], settings["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("https://bot.example.com/ops/slack/interactions", settings["interactivity"]!["request_url"]!.GetValue<string>());
        Assert.False(settings["socket_mode_enabled"]!.GetValue<bool>());
        Assert.Contains("chat:write", manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Theory]
    [InlineData("conversations.history")]
    [InlineData("conversations.replies")]
    public void Build_Scopes_GrantEveryHistoryScopeTheSpecNamesForDeliveryLookups(string method)
    {
        // The outbox looks a post up in whatever kind of conversation it went to: public, private, DM or group DM.
        var spec = JsonNode.Parse(SpecFiles.Read("slack", "web-api", "slack_web_openapi_v2.json"))!;
        var needed = spec["paths"]!["/" + method]!["get"]!["security"]![0]!["slackAuth"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();

        var manifest = SlackAppManifest.Build("ChatOps", "Operations from chat", Commands, publicBaseUrl: null, socketMode: true);

        var granted = manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.NotEmpty(needed);
        Assert.All(needed, scope => Assert.Contains(scope, granted));
    }

    [Fact]
    public void Build_SocketMode_NoRequestUrls()
    {
        var manifest = SlackAppManifest.Build("ChatOps", "Operations from chat", Commands, publicBaseUrl: null, socketMode: true);

        var json = manifest.ToJsonString();
        Assert.DoesNotContain("request_url", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"url\"", json, StringComparison.Ordinal);
        Assert.True(manifest["settings"]!["socket_mode_enabled"]!.GetValue<bool>());
        Assert.True(manifest["settings"]!["interactivity"]!["is_enabled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("/Env")]
    [InlineData("/env up")]
    [InlineData("/a-very-long-command-name-over-32c")]
    [InlineData("/")]
    public void Build_InvalidCommandName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => SlackAppManifest.Build("ChatOps", "d", [new(name, "x")], null, socketMode: true));
    }

    [Fact]
    public void Build_DuplicateCommand_Throws()
    {
        Assert.Throws<ArgumentException>(() => SlackAppManifest.Build("ChatOps", "d", [new("/env", "x"), new("env", "y")], null, socketMode: true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://bot.example.com/")]
    public void Build_HttpModeWithoutPublicHttpsUrl_Throws(string? url)
    {
        Assert.Throws<ArgumentException>(() => SlackAppManifest.Build("ChatOps", "d", Commands, url is null ? null : new Uri(url), socketMode: false));
    }

    [Fact]
    public void Build_Output_IsJsonThatRoundTrips()
    {
        var manifest = SlackAppManifest.Build("ChatOps", "Operations \"from\" chat", Commands, new Uri("https://bot.example.com/"), socketMode: false);

        var parsed = JsonNode.Parse(manifest.ToJsonString())!;
        Assert.Equal("Operations \"from\" chat", parsed["display_information"]!["description"]!.GetValue<string>());
        Assert.Equal("https://bot.example.com/slack/events", parsed["settings"]!["event_subscriptions"]!["request_url"]!.GetValue<string>());
    }
}
