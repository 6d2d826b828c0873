using System.Text;
using ChatOps.Integrations.Slack;
using ChatOps.TestCommon;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Slack;

public sealed class SlackHttpInboundTests
{
    private const string Secret = "test-signing-secret";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public async Task ReadAsync_SignedSlashCommand_AcceptedAndTranslated()
    {
        var context = Request("command=%2Fenv&text=up+test&channel_id=C1&user_id=U1&user_name=ann&trigger_id=t1");

        var result = await CreateSut().ReadAsync(context.Request, SlackEndpoint.Commands, TestContext.Current.CancellationToken);

        Assert.True(result.Accepted);
        Assert.Equal("env up test", result.Inbound!.Request!.Text);
        Assert.False(result.Inbound.IsRetry);
    }

    [Fact]
    public async Task ReadAsync_UrlVerificationVector_AnswersChallenge()
    {
        var vectors = System.Text.Json.JsonDocument.Parse(SpecFiles.Read("slack", "derived", "signing-vectors.json")).RootElement;
        var vector = vectors.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "events_api_url_verification_json_body");
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString()!));
        foreach (var header in vector.GetProperty("headers").EnumerateObject())
        {
            context.Request.Headers[header.Name] = header.Value.GetString();
        }

        var sut = CreateSut(vectors.GetProperty("signing_secret").GetString()!, DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("now").GetInt64()));
        var result = await sut.ReadAsync(context.Request, SlackEndpoint.Events, TestContext.Current.CancellationToken);

        Assert.Equal(vector.GetProperty("expect_response").GetProperty("status").GetInt32(), result.StatusCode);
        Assert.Equal(SlackInboundKind.UrlVerification, result.Inbound!.Kind);
        Assert.Contains(result.Inbound.Challenge!, vector.GetProperty("expect_response").GetProperty("body_contains").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ForgedSignature_401AndNothingParsed()
    {
        var context = Request("command=%2Fenv&text=destroy+prod&channel_id=C1&user_id=U1&trigger_id=t1", secret: "not-the-secret");

        var result = await CreateSut().ReadAsync(context.Request, SlackEndpoint.Commands, TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status401Unauthorized, result.StatusCode);
        Assert.Equal(SlackVerificationFailure.BadSignature, result.Failure);
        Assert.Null(result.Inbound);
    }

    [Fact]
    public async Task ReadAsync_ReplayedAfterWindow_401()
    {
        var context = Request("command=%2Fenv&channel_id=C1&user_id=U1&trigger_id=t1", timestamp: Now - TimeSpan.FromMinutes(6));

        var result = await CreateSut().ReadAsync(context.Request, SlackEndpoint.Commands, TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status401Unauthorized, result.StatusCode);
        Assert.Equal(SlackVerificationFailure.StaleTimestamp, result.Failure);
    }

    [Fact]
    public async Task ReadAsync_NoSignatureHeaders_401()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream("command=%2Fenv"u8.ToArray());

        var result = await CreateSut().ReadAsync(context.Request, SlackEndpoint.Commands, TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status401Unauthorized, result.StatusCode);
        Assert.Equal(SlackVerificationFailure.MissingTimestamp, result.Failure);
    }

    [Fact]
    public async Task ReadAsync_RetriedEvent_FlaggedWithSameDeliveryId()
    {
        var body = "{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{\"type\":\"app_mention\",\"user\":\"U1\",\"channel\":\"C1\",\"ts\":\"1.2\",\"text\":\"<@U0BOT> env status\"}}";
        var first = Request(body);
        var retry = Request(body);
        retry.Request.Headers[SlackHttpInbound.RetryNumHeader] = "1";
        retry.Request.Headers["X-Slack-Retry-Reason"] = "http_timeout";
        var sut = CreateSut();

        var a = await sut.ReadAsync(first.Request, SlackEndpoint.Events, TestContext.Current.CancellationToken);
        var b = await sut.ReadAsync(retry.Request, SlackEndpoint.Events, TestContext.Current.CancellationToken);

        Assert.False(a.Inbound!.IsRetry);
        Assert.True(b.Inbound!.IsRetry);
        Assert.Equal(a.Inbound.Request!.DeliveryId, b.Inbound.Request!.DeliveryId);
    }

    [Fact]
    public async Task ReadAsync_SignedButMalformed_400()
    {
        var context = Request("payload=%7Bbroken");

        var result = await CreateSut().ReadAsync(context.Request, SlackEndpoint.Interactions, TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status400BadRequest, result.StatusCode);
        Assert.False(result.Accepted);
    }

    [Fact]
    public async Task ReadAsync_OversizedBody_413WithoutVerifying()
    {
        var body = "text=" + new string('a', SlackHttpInbound.MaxBodyBytes);
        var context = Request(body);
        context.Request.ContentLength = null;

        var result = await CreateSut().ReadAsync(context.Request, SlackEndpoint.Commands, TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, result.StatusCode);
    }

    [Fact]
    public async Task ReadAsync_DeclaredOversizedLength_413()
    {
        var context = Request("a=b");
        context.Request.ContentLength = SlackHttpInbound.MaxBodyBytes + 1;

        var result = await CreateSut().ReadAsync(context.Request, SlackEndpoint.Commands, TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, result.StatusCode);
    }

    private static DefaultHttpContext Request(string body, string secret = Secret, DateTimeOffset? timestamp = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var ts = (timestamp ?? Now).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.Headers[SlackRequestVerifier.TimestampHeader] = ts;
        context.Request.Headers[SlackRequestVerifier.SignatureHeader] = Encoding.ASCII.GetString(SlackRequestVerifier.ComputeSignature(secret, ts, bytes));
        return context;
    }

    private static SlackHttpInbound CreateSut(string secret = Secret, DateTimeOffset? now = null)
    {
        var services = SlackTestServices.Create(new Uri("https://slack.test/api/"), new Dictionary<string, string?> { ["Slack:SigningSecret"] = secret, ["Slack:BotToken"] = "" }, new FakeTimeProvider(now ?? Now));
        return services.GetRequiredService<SlackHttpInbound>();
    }
}
