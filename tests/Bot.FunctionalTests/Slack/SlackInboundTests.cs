using System.Net;
using System.Text.Json;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests.Slack;

/// <summary>Slack's request URLs end to end: signed requests into the real host, replies through the spec-checked peer.</summary>
public sealed class SlackInboundTests : IAsyncLifetime
{
    private SlackHost _host = null!;

    private SlackDeliveries Slack => _host.Slack;

    public async ValueTask InitializeAsync() => _host = await SlackHost.StartAsync(new Dictionary<string, string?> { ["Identity:Roles:ops:0"] = "slack:U0OPS" });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SlashCommand_EnvUpTest_AcknowledgesAndEditsOneProgressMessageUntilUp()
    {
        var response = await Slack.SlashCommandAsync("U0CAROL", SlackHost.Channel, "/env", "up test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("in_channel", ack.RootElement.GetProperty("response_type").GetString());

        var done = await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.ThreadTs is null && m.Text.Contains("*test* is up")));
        Assert.True(done.Edits > 0, "the progress message is edited in place with chat.update");
        // Details go to the message's thread, paced with everything else in the channel.
        await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.ThreadTs == done.Ts && m.Text.Contains(": started process")));
        Assert.Same(done, Assert.Single(_host.TopLevel()));
        Assert.Contains(_host.Peer.Requests, r => r.Uri.AbsolutePath.EndsWith("/chat.update", StringComparison.Ordinal));
        Assert.Empty(_host.Peer.ContractViolations);
    }

    [Fact]
    public async Task BlockActions_ConfirmOnADestroyPrompt_RunsTheDestroy()
    {
        await Slack.SlashCommandAsync("U0CAROL", SlackHost.Channel, "/env", "destroy dev");
        var prompt = await _host.WaitForAsync(ms => ms.FirstOrDefault(m => SlackHost.ActionIds(m).Any(a => a.StartsWith("confirm:", StringComparison.Ordinal))));
        var confirm = SlackHost.ActionIds(prompt).Single(a => a.StartsWith("confirm:", StringComparison.Ordinal));

        var response = await Slack.PressAsync("U0CAROL", SlackHost.Channel, prompt.Ts, confirm);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var done = await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.Ts == prompt.Ts && m.Text.Contains("*dev* is destroyed")));
        Assert.Empty(SlackHost.ActionIds(done));
        var runs = await GetJsonAsync("/api/runs?env=dev");
        Assert.Equal("destroy", runs[0].GetProperty("verb").GetString());
        Assert.Equal("succeeded", runs[0].GetProperty("status").GetString());
        Assert.Empty(_host.Peer.ContractViolations);
    }

    [Fact]
    public async Task ButtonPress_BySomeoneElse_ChangesNothingAndSaysWhyInTheThread()
    {
        await Slack.SlashCommandAsync("U0CAROL", SlackHost.Channel, "/env", "destroy dev", userName: "carol");
        var prompt = await _host.WaitForAsync(ms => ms.FirstOrDefault(m => SlackHost.ActionIds(m).Any(a => a.StartsWith("confirm:", StringComparison.Ordinal))));

        await Slack.PressAsync("U0DAVE", SlackHost.Channel, prompt.Ts, SlackHost.ActionIds(prompt).Single(a => a.StartsWith("confirm:", StringComparison.Ordinal)));

        // Said to dave alone, in the prompt's thread.
        await _host.WaitForEphemeralAsync(m => m.VisibleTo == "U0DAVE" && m.ThreadTs == prompt.Ts && m.Text.Contains("Only carol"));
        Assert.Equal("awaiting-confirmation", (await GetJsonAsync("/api/runs?env=dev"))[0].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/slack/commands", "application/x-www-form-urlencoded", "command=%2Fenv&text=up+test&channel_id=C0OPS&user_id=U0CAROL&trigger_id=1.forged")]
    [InlineData("/slack/events", "application/json", "{\"type\":\"event_callback\",\"event_id\":\"EvForged\",\"event\":{\"type\":\"app_mention\",\"user\":\"U0CAROL\",\"channel\":\"C0OPS\",\"text\":\"<@U0BOT> up test\",\"ts\":\"1.2\"}}")]
    [InlineData("/slack/interactions", "application/x-www-form-urlencoded", "payload=%7B%22type%22%3A%22block_actions%22%7D")]
    public async Task ForgedSignature_Is401_AndNothingRunsOrIsPosted(string path, string contentType, string body)
    {
        var forged = SlackDeliveries.Sign("not-the-signing-secret", TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), body);

        var response = await Slack.SendAsync(path, body, contentType, signature: forged);
        var unsigned = await Slack.SendAsync(path, body, contentType, signature: "");
        var stale = await Slack.SendAsync(path, body, contentType, timestamp: TimeProvider.System.GetUtcNow().AddMinutes(-10).ToUnixTimeSeconds());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        // A ProblemDetails like every error, but the same for all three: nothing says which check failed.
        var forgedBody = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":401", forgedBody, StringComparison.Ordinal);
        Assert.Equal(WithoutTraceId(forgedBody), WithoutTraceId(await unsigned.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(WithoutTraceId(forgedBody), WithoutTraceId(await stale.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        // A genuine request from the same person afterwards is answered first and alone: the forged ones were never queued.
        await Slack.SlashCommandAsync("U0CAROL", SlackHost.Channel, "/env", "list");
        await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.Text.Contains("test")));
        Assert.Single(_host.TopLevel());
        Assert.Empty((await GetJsonAsync("/api/runs?env=test")).EnumerateArray());
    }

    [Fact]
    public async Task RetriedEvent_SameEventId_RunsOnce()
    {
        var mention = SlackDeliveries.Event("Ev0RETRY01", "U0CAROL", SlackHost.Channel, "<@U0BOT> bring up dev");

        var first = await Slack.EventAsync(mention);
        var retry = await Slack.EventAsync(mention, retryNum: 1);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.ThreadTs is null && m.Text.Contains("*dev* is up")));
        // Both deliveries were queued before either ran; had the retry run, it would have said "already up" or "busy".
        await Slack.SlashCommandAsync("U0CAROL", SlackHost.Channel, "/env", "history dev");
        await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.ThreadTs is null && !m.Text.Contains("*dev* is up")));
        Assert.Equal(2, _host.TopLevel().Count);
        var run = Assert.Single((await GetJsonAsync("/api/runs?env=dev")).EnumerateArray());
        // The mention carried only a user id; the name came from users.info.
        Assert.Equal("rr", run.GetProperty("requester").GetString());
    }

    [Fact]
    public async Task Mention_FromAUserSlackCannotName_IsAnsweredUnderTheId()
    {
        var response = await Slack.EventAsync(SlackDeliveries.Event("Ev0UNKNOWN1", "U0UNKNOWN", SlackHost.Channel, "<@U0BOT> lock dev"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _host.WaitForAsync(ms => ms.Count > 0 ? ms[0] : null);
        Assert.Contains(_host.Peer.Requests, r => r.Uri.AbsolutePath.EndsWith("/users.info", StringComparison.Ordinal));
        var status = await GetJsonAsync("/api/environments/dev");
        Assert.Contains("U0UNKNOWN", status.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectMessage_IsAnsweredInTheDirectMessage()
    {
        var response = await Slack.EventAsync(SlackDeliveries.Event("Ev0DM01", "U0CAROL", "D0CAROL", "status dev", directMessage: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await _host.WaitForAsync(ms => ms.Count > 0 ? ms[0] : null, channel: "D0CAROL");
        Assert.Contains("dev", reply.Text);
        Assert.Empty(_host.TopLevel());
    }

    [Fact]
    public async Task UrlVerification_AnswersTheChallenge()
    {
        var response = await Slack.EventAsync("{\"token\":\"legacy\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MalformedButSigned_Is400_AndNothingIsPosted()
    {
        var response = await Slack.SendAsync("/slack/commands", "text=up+test", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Peer.Requests);
    }

    [Fact]
    public async Task OversizedBody_Is413_AndNothingIsPosted()
    {
        var body = "text=" + new string('x', 1024 * 1024 + 1);

        var response = await Slack.SendAsync("/slack/commands", body, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Peer.Requests);
    }

    [Theory]
    [InlineData("/alert", "ack 42")]
    [InlineData("/pulse", "")]
    public async Task OtherSlashCommands_ReachTheDispatcherAndAreAnswered(string command, string text)
    {
        var response = await Slack.SlashCommandAsync("U0CAROL", SlackHost.Channel, command, text);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // An answer for the channel, or a refusal for the asker alone (there is no alert 42).
        var reply = await Wait.ForAsync(() => _host.TopLevel().Concat(_host.Peer.EphemeralIn(SlackHost.Channel)).FirstOrDefault(), "an answer");
        Assert.False(string.IsNullOrWhiteSpace(reply.Text));
    }

    [Fact]
    public async Task OpsSlackUser_MayChangeProd_WhereAMemberIsDenied()
    {
        await Slack.SlashCommandAsync("U0MEMBER", SlackHost.Channel, "/env", "up prod");
        var denial = await _host.WaitForEphemeralAsync(m => m.VisibleTo == "U0MEMBER");
        Assert.Equal("`up` on *prod* needs the *ops* role, which you do not have.", denial.Text);
        Assert.Empty((await GetJsonAsync("/api/runs?env=prod")).EnumerateArray());

        await Slack.SlashCommandAsync("U0OPS", SlackHost.Channel, "/env", "up prod");

        var run = await WaitForRunAsync("prod");
        Assert.Equal("up", run.GetProperty("verb").GetString());
        Assert.Equal("u0ops", run.GetProperty("requester").GetString());
        Assert.DoesNotContain(_host.TopLevel(), m => m.Text.Contains("needs the *ops* role"));
    }

    [Fact]
    public async Task Help_IsPostedEphemerallyToTheAsker_AndNotInTheChannel()
    {
        await Slack.EventAsync(SlackDeliveries.Event("Ev0HELP01", "U0CAROL", SlackHost.Channel, "<@U0BOT> help"));

        var help = await _host.WaitForEphemeralAsync(m => m.VisibleTo == "U0CAROL");
        Assert.Contains("/env up", help.Text);
        var request = Assert.Single(_host.Peer.Requests, r => r.Uri.AbsolutePath.EndsWith("/chat.postEphemeral", StringComparison.Ordinal));
        Assert.Contains("U0CAROL", request.Body);
        Assert.Empty(_host.Peer.ContractViolations);
        Assert.Empty(_host.TopLevel());
    }

    [Fact]
    public async Task Status_StaysPublic_AnsweredAsItIsReceived()
    {
        await _host.Factory.Services.GetRequiredService<ReadinessGate>().WaitAsync(TestContext.Current.CancellationToken);

        await Slack.SlashCommandAsync("U0CAROL", SlackHost.Channel, "/env", "status test");

        var status = await _host.WaitForAsync(ms => ms.Count > 0 ? ms[0] : null);
        Assert.Contains("*test*", status.Text);
        Assert.Empty(_host.Peer.EphemeralIn(SlackHost.Channel));
        // Kept as done with its answer when it was received: no worker claimed it.
        var inbox = await _host.Factory.Services.GetRequiredService<StateDatabase>().ReadAsync(c => c.QueryAsync(
            "SELECT state, started_at IS NULL FROM inbox", null, r => (r.GetString(0), r.GetBoolean(1)), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        Assert.Equal([("done", true)], inbox);
        Assert.Single(_host.Peer.Requests, r => r.Uri.AbsolutePath.EndsWith("/chat.postMessage", StringComparison.Ordinal));
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        var json = await Slack.Http.GetStringAsync(path, TestContext.Current.CancellationToken);
        return JsonDocument.Parse(json).RootElement;
    }

    private async Task<JsonElement> WaitForRunAsync(string environment)
    {
        JsonElement runs = default;
        await Wait.UntilAsync(async () => (runs = await GetJsonAsync($"/api/runs?env={environment}")).GetArrayLength() > 0, $"a run on {environment}");
        return runs[0];
    }

    private static string WithoutTraceId(string problem) =>
        System.Text.RegularExpressions.Regex.Replace(problem, "\"traceId\":\"[^\"]*\"", "");
}
