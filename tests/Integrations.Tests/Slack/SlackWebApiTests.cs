using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Slack;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Slack;

public sealed class SlackWebApiTests
{
    private static readonly Uri Base = new("https://slack.test/api/");

    [Fact]
    public async Task EveryMethod_Requests_KeepTheWebApiSpec()
    {
        var recorder = new RecordingHttpMessageHandler(SampleAnswer);
        await using var services = SlackTestServices.Create(Base, primaryHandler: recorder);
        var sut = services.GetRequiredService<ISlackWebApi>();
        var ct = TestContext.Current.CancellationToken;
        var content = BlockKitRenderer.Render(new() { Text = "*up* test", Buttons = [new("env:cancel:7", "Cancel", ChatOps.Integrations.Chat.ButtonStyle.Danger)], Context = ["by <@U1>"] });

        await sut.PostMessageAsync("C0OPS", content, cancellationToken: ct);
        await sut.PostMessageAsync("C0OPS", content, threadTs: "1700000000.000100", cancellationToken: ct);
        await sut.UpdateMessageAsync("C0OPS", "1700000000.000100", content, ct);
        await sut.PostEphemeralAsync("C0OPS", "U0ME", content, "1700000000.000100", ct);
        var user = await sut.GetUserAsync("U0ME", ct);
        var target = await sut.GetUploadUrlExternalAsync("pulse.png", 1234, "logins, last hour", ct);
        await sut.UploadFileContentAsync(target, new byte[] { 1, 2, 3 }, "pulse.png", ct);
        await sut.CompleteUploadExternalAsync([new SlackFileReference(target.FileId, "pulse")], "C0OPS", "1700000000.000100", "the pulse", ct);
        var history = await sut.GetHistoryAsync("C0OPS", "1700000000.000000", inclusive: true, limit: 200, cursor: "bmV4dA==", cancellationToken: ct);
        var thread = await sut.GetRepliesAsync("C0OPS", "1482960137.003543", "1482960137.000000", cancellationToken: ct);
        await sut.OpenConnectionAsync(ct);

        var api = recorder.Requests.Where(r => Base.IsBaseOf(r.Uri)).ToList();
        Assert.Equal(
            ["chat.postMessage", "chat.postMessage", "chat.update", "chat.postEphemeral", "users.info", "files.getUploadURLExternal", "files.completeUploadExternal",
                "conversations.history", "conversations.replies", "apps.connections.open"],
            api.Select(r => r.Uri.Segments[^1]));
        Assert.All(api, r => Assert.Empty(SlackWebApiContract.Instance.Check(r)));
        // The 2020 spec predates these; they were checked against the documented arguments instead.
        Assert.False(SlackWebApiContract.Instance.IsInSpec("files.getUploadURLExternal"));
        Assert.True(SlackWebApiContract.Instance.IsInSpec("chat.postMessage"));
        Assert.Equal("Bearer " + SlackPeer.AppToken, api[^1].Headers["Authorization"]);
        Assert.All(api.SkipLast(1), r => Assert.Equal("Bearer " + SlackPeer.BotToken, r.Headers["Authorization"]));
        // The pre-signed upload URL must never see a token.
        var upload = Assert.Single(recorder.Requests, r => !Base.IsBaseOf(r.Uri));
        Assert.False(upload.Headers.ContainsKey("Authorization"));
        Assert.Equal("U00000000", user.Id); // from Slack's users.info sample answer
        Assert.Equal("F00000000", target.FileId);
        // From the spec's own example answers.
        Assert.Equal(["1512085950.000216", "1512104434.000490"], history.Messages.Select(m => m.Ts));
        Assert.Equal("bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz", history.NextCursor);
        Assert.Equal(4, thread.Messages.Count);
        Assert.All(thread.Messages, m => Assert.Equal("1482960137.003543", m.ThreadTs));
    }

    [Theory]
    [InlineData("POST", "chat.postMessage", "application/json; charset=utf-8", "{\"channel\":\"C1\",\"text\":\"x\",\"colour\":\"red\"}", "no argument 'colour'")]
    [InlineData("POST", "chat.postMessage", "application/json; charset=utf-8", "{\"text\":\"x\"}", "missing required argument 'channel'")]
    [InlineData("POST", "chat.postMessage", "application/x-www-form-urlencoded", "channel=C1&text=x&token=xoxb-1", "token as an argument")]
    [InlineData("POST", "chat.postMessage", "application/json", "{\"channel\":\"C1\",\"text\":\"x\"}", "without charset")]
    [InlineData("POST", "chat.update", "application/json; charset=utf-8", "{\"channel\":\"C1\",\"text\":\"x\"}", "missing required argument 'ts'")]
    [InlineData("POST", "chat.send", "application/json; charset=utf-8", "{}", "not a Web API method")]
    [InlineData("POST", "files.getUploadURLExternal", "application/x-www-form-urlencoded", "filename=a.png", "missing required argument 'length'")]
    [InlineData("GET", "chat.postMessage", null, null, "declared as POST")]
    public void Contract_RequestBreakingTheSpec_Reported(string method, string path, string? contentType, string? body, string expected)
    {
        var request = new RecordedRequest(new HttpMethod(method), new Uri(Base, path), new Dictionary<string, string> { ["Authorization"] = "Bearer xoxb-1" }, contentType, body);

        var violations = SlackWebApiContract.Instance.Check(request);

        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Contract_ConnectionsOpenWithBotToken_Reported()
    {
        var request = new RecordedRequest(HttpMethod.Post, new Uri(Base, "apps.connections.open"), new Dictionary<string, string> { ["Authorization"] = "Bearer xoxb-1" }, null, null);

        Assert.Contains(SlackWebApiContract.Instance.Check(request), v => v.Contains("xapp-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("channel_not_found", nameof(SlackErrorKind.NotFound))]
    [InlineData("invalid_auth", nameof(SlackErrorKind.Authentication))]
    [InlineData("invalid_blocks", nameof(SlackErrorKind.InvalidRequest))]
    [InlineData("internal_error", nameof(SlackErrorKind.Transient))]
    [InlineData("something_new", nameof(SlackErrorKind.Other))]
    public async Task PostMessageAsync_OkFalse_ThrowsTypedError(string error, string kindName)
    {
        // By name: the kind is internal and a test method's parameters must be public.
        var kind = Enum.Parse<SlackErrorKind>(kindName);
        var recorder = new RecordingHttpMessageHandler(_ => RecordingHttpMessageHandler.Json($"{{\"ok\":false,\"error\":\"{error}\"}}"));
        await using var services = SlackTestServices.Create(Base, primaryHandler: recorder);
        var sut = services.GetRequiredService<ISlackWebApi>();

        var e = await Assert.ThrowsAsync<SlackApiException>(() => sut.PostMessageAsync("C1", new("x"), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("chat.postMessage", e.Method);
        Assert.Equal(error, e.Error);
        Assert.Equal(kind, e.Kind);
    }

    [Fact]
    public async Task PostMessageAsync_MissingScope_CarriesNeededScope()
    {
        var recorder = new RecordingHttpMessageHandler(_ => RecordingHttpMessageHandler.Json("{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"chat:write\",\"provided\":\"users:read\"}"));
        await using var services = SlackTestServices.Create(Base, primaryHandler: recorder);

        var e = await Assert.ThrowsAsync<SlackApiException>(() => services.GetRequiredService<ISlackWebApi>().PostMessageAsync("C1", new("x"), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(SlackErrorKind.Authentication, e.Kind);
        Assert.Equal("chat:write", e.Needed);
        Assert.Equal("users:read", e.Provided);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, "not json", "invalid_response")]
    [InlineData(HttpStatusCode.OK, "{\"channel\":\"C1\"}", "invalid_response")]
    [InlineData(HttpStatusCode.OK, "{\"ok\":true}", "invalid_response")]
    [InlineData(HttpStatusCode.InternalServerError, "oops", "http_500")]
    public async Task PostMessageAsync_BrokenAnswer_ThrowsTypedError(HttpStatusCode status, string body, string error)
    {
        var recorder = new RecordingHttpMessageHandler(_ => RecordingHttpMessageHandler.Json(body, status));
        await using var services = SlackTestServices.Create(Base, primaryHandler: recorder);

        var e = await Assert.ThrowsAsync<SlackApiException>(() => services.GetRequiredService<ISlackWebApi>().PostMessageAsync("C1", new("x"), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(error, e.Error);
    }

    [Fact]
    public async Task GetUserAsync_429_WaitsForRetryAfterThenAsksOnce()
    {
        var answers = new Queue<HttpResponseMessage>([RateLimited(30), UserOk()]);
        var recorder = new RecordingHttpMessageHandler(_ => answers.Dequeue());
        var time = new ObservedTimeProvider();
        await using var services = SlackTestServices.Create(Base, timeProvider: time, primaryHandler: recorder);
        var sut = services.GetRequiredService<ISlackWebApi>();

        var lookup = sut.GetUserAsync("U1", TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => recorder.Requests.Count == 1 && time.TimersCreated == 1, "the client waits after the 429");
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Single(recorder.Requests);
        Assert.False(lookup.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var user = await lookup;

        Assert.Equal(2, recorder.Requests.Count);
        Assert.Equal(recorder.Requests[0].Uri, recorder.Requests[1].Uri);
        Assert.Equal("U1", user.Id);
    }

    [Fact]
    public async Task GetUserAsync_429BeyondRetries_ThrowsRateLimitedWithRetryAfter()
    {
        var recorder = new RecordingHttpMessageHandler(_ => RateLimited(12));
        await using var services = SlackTestServices.Create(Base, new Dictionary<string, string?> { ["Slack:MaxRateLimitRetries"] = "0" }, new FakeTimeProvider(), recorder);

        var e = await Assert.ThrowsAsync<SlackApiException>(() => services.GetRequiredService<ISlackWebApi>().GetUserAsync("U1", TestContext.Current.CancellationToken));

        Assert.Equal(SlackErrorKind.RateLimited, e.Kind);
        Assert.Equal(TimeSpan.FromSeconds(12), e.RetryAfter);
        Assert.Single(recorder.Requests);
    }

    [Theory]
    [InlineData("post")]
    [InlineData("update")]
    public async Task PostOrUpdate_429_ThrownAtOnceWithRetryAfterForTheOutboxToPauseTheChannel(string call)
    {
        var recorder = new RecordingHttpMessageHandler(_ => RateLimited(12));
        await using var services = SlackTestServices.Create(Base, timeProvider: new FakeTimeProvider(), primaryHandler: recorder);
        var sut = services.GetRequiredService<ISlackWebApi>();
        var ct = TestContext.Current.CancellationToken;

        var e = await Assert.ThrowsAsync<SlackApiException>(() => call == "post"
            ? sut.PostMessageAsync("C1", new("x"), cancellationToken: ct)
            : sut.UpdateMessageAsync("C1", "1700000000.000100", new("x"), ct));

        Assert.Equal(SlackErrorKind.RateLimited, e.Kind);
        Assert.Equal(TimeSpan.FromSeconds(12), ((IChatSendFailure)e).RetryAfter);
        Assert.Single(recorder.Requests);
    }

    [Fact]
    public async Task PostMessageAsync_SameChannelTwice_NotPacedAgainByTheClient()
    {
        // A channel is paced once, by the outbox's per-destination bucket; the client adds no wait of its own.
        var recorder = new RecordingHttpMessageHandler(_ => PostedOk());
        var time = new ObservedTimeProvider();
        await using var services = SlackTestServices.Create(Base, timeProvider: time, primaryHandler: recorder);
        var sut = services.GetRequiredService<ISlackWebApi>();
        var ct = TestContext.Current.CancellationToken;

        await sut.PostMessageAsync("C1", new("first"), cancellationToken: ct);
        await sut.PostMessageAsync("C1", new("second"), cancellationToken: ct);

        Assert.Equal(["first", "second"], recorder.Requests.Select(r => JsonNode.Parse(r.Body!)!["text"]!.GetValue<string>()));
        Assert.Equal(0, time.TimersCreated);
    }

    [Fact]
    public async Task PostMessageAsync_429_HoldsBackTheMethodForOtherCallersToo()
    {
        var answers = new Queue<HttpResponseMessage>([RateLimited(30), PostedOk()]);
        var recorder = new RecordingHttpMessageHandler(_ => answers.Dequeue());
        var time = new ObservedTimeProvider();
        await using var services = SlackTestServices.Create(Base, timeProvider: time, primaryHandler: recorder);
        var sut = services.GetRequiredService<ISlackWebApi>();
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<SlackApiException>(() => sut.PostMessageAsync("C1", new("refused"), cancellationToken: ct));
        var other = sut.PostMessageAsync("C2", new("other"), cancellationToken: ct);
        await Wait.UntilAsync(() => time.TimersCreated == 1, "the other caller waits for the method's gate");
        Assert.Single(recorder.Requests);
        time.Advance(TimeSpan.FromSeconds(30));
        await Wait.ForAsync(other, "the other post once the Retry-After passed");

        Assert.Equal(2, recorder.Requests.Count);
    }

    [Fact]
    public async Task UpdateMessageAsync_ServiceUnavailable_RetriedWithBackoff()
    {
        var answers = new Queue<HttpResponseMessage>([RecordingHttpMessageHandler.Json("busy", HttpStatusCode.ServiceUnavailable), PostedOk()]);
        var recorder = new RecordingHttpMessageHandler(_ => answers.Dequeue());
        var time = new ObservedTimeProvider();
        await using var services = SlackTestServices.Create(Base, timeProvider: time, primaryHandler: recorder);

        var update = services.GetRequiredService<ISlackWebApi>().UpdateMessageAsync("C1", "1700000000.000100", new("x"), TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => recorder.Requests.Count == 1 && time.TimersCreated == 1, "the client backs off after the 503");
        Assert.False(update.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await update;

        Assert.Equal(2, recorder.Requests.Count);
    }

    [Fact]
    public async Task GetUserAsync_ConnectionFailsThenWorks_Retried()
    {
        var calls = 0;
        var recorder = new RecordingHttpMessageHandler(_ => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException("connection refused")
            : RecordingHttpMessageHandler.Json("{\"ok\":true,\"user\":{\"id\":\"U1\",\"name\":\"ann\",\"profile\":{\"display_name\":\"Ann\"}}}"));
        var time = new ObservedTimeProvider();
        await using var services = SlackTestServices.Create(Base, timeProvider: time, primaryHandler: recorder);

        var lookup = services.GetRequiredService<ISlackWebApi>().GetUserAsync("U1", TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => time.TimersCreated == 1, "the client backs off after the failure");
        time.Advance(TimeSpan.FromSeconds(1));
        var user = await lookup;

        Assert.Equal("Ann", user.BestName);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task PostMessageAsync_ServiceUnavailable_NotRepeatedBecauseItMayHaveLanded()
    {
        var recorder = new RecordingHttpMessageHandler(_ => RecordingHttpMessageHandler.Json("busy", HttpStatusCode.ServiceUnavailable));
        await using var services = SlackTestServices.Create(Base, timeProvider: new FakeTimeProvider(), primaryHandler: recorder);

        var e = await Assert.ThrowsAsync<SlackApiException>(() => services.GetRequiredService<ISlackWebApi>().PostMessageAsync("C1", new("x"), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(SlackErrorKind.Transient, e.Kind);
        Assert.Single(recorder.Requests);
    }

    [Fact]
    public async Task PostMessageAsync_Cancelled_Throws()
    {
        var recorder = new RecordingHttpMessageHandler(_ => PostedOk());
        await using var services = SlackTestServices.Create(Base, primaryHandler: recorder);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.GetRequiredService<ISlackWebApi>().PostMessageAsync("C1", new("x"), cancellationToken: cts.Token));
        Assert.Empty(recorder.Requests);
    }

    private static HttpResponseMessage RateLimited(int seconds)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    }

    private static HttpResponseMessage PostedOk() => RecordingHttpMessageHandler.Json("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000100\"}");

    private static HttpResponseMessage UserOk() => RecordingHttpMessageHandler.Json("{\"ok\":true,\"user\":{\"id\":\"U1\",\"name\":\"alice\"}}");

    /// <summary>Answers with Slack's own sample responses where the specs have one, switched to ok: true.</summary>
    /// <summary>The example success answer the Web API spec gives for a method.</summary>
    private static JsonObject SpecExample(string method)
    {
        var spec = JsonNode.Parse(SpecFiles.Read("slack", "web-api", "slack_web_openapi_v2.json"))!;
        return spec["paths"]!["/" + method]!["get"]!["responses"]!["200"]!["examples"]!["application/json"]!.DeepClone().AsObject();
    }

    private static HttpResponseMessage SampleAnswer(RecordedRequest request)
    {
        var method = request.Uri.Segments[^1];
        if (!Base.IsBaseOf(request.Uri))
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("OK - 3") };
        }

        var samplePath = Path.Combine(SlackSamples.Root, "api", method + ".json");
        JsonObject answer = File.Exists(samplePath) ? JsonNode.Parse(File.ReadAllText(samplePath))!.AsObject() : [];
        answer["ok"] = true;
        answer.Remove("error");
        switch (method)
        {
            case "chat.postMessage" or "chat.update":
                answer["channel"] = "C0OPS";
                answer["ts"] = "1700000000.000200";
                break;
            case "apps.connections.open":
                answer["url"] = "wss://wss.slack.test/link/?ticket=1";
                break;
            case "files.getUploadURLExternal":
                answer["upload_url"] = "https://files.slack.test/upload/v1/abc";
                break;
            case "conversations.history" or "conversations.replies":
                answer = SpecExample(method);
                break;
        }

        return RecordingHttpMessageHandler.Json(answer.ToJsonString());
    }
}
