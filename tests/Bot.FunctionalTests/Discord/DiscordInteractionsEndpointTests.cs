using System.Net;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.FunctionalTests.Discord;

/// <summary>The interactions endpoint through the real host, its clock at the time the vendored vectors were signed.</summary>
public sealed class DiscordInteractionsEndpointTests() : HostTest(new BotFactory(new FakeTimeProvider(DiscordInteractions.SignedAt), DiscordInteractions.Settings))
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeTimeProvider Clock => (FakeTimeProvider)Factory.Time!;

    [Fact]
    public async Task SignedPing_IsAnsweredWithPong()
    {
        using var response = await SendAsync(DiscordInteractions.FromVector("ping_valid"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"type\":1}", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("ping_tampered_body", "does not match")]
    [InlineData("ping_tampered_timestamp", "does not match")]
    [InlineData("ping_reserialised_body", "does not match")]
    [InlineData("ping_signed_by_other_key", "does not match")]
    [InlineData("signature_not_hex", "not a 64-byte signature in hex")]
    [InlineData("signature_wrong_length", "not a 64-byte signature in hex")]
    [InlineData("headers_missing", "header is missing")]
    public async Task ForgedOrGarbledRequest_Is401ProblemAndNotAnswered(string vector, string detail)
    {
        using var response = await SendAsync(DiscordInteractions.FromVector(vector));

        await AssertRefusedAsync(response, detail);
    }

    [Fact]
    public async Task UnsignedPing_Is401NamingTheMissingHeader()
    {
        using var request = DiscordInteractions.FromVector("ping_valid");
        request.Headers.Remove("X-Signature-Ed25519");

        using var response = await SendAsync(request);

        await AssertRefusedAsync(response, "X-Signature-Ed25519 header is missing");
    }

    [Fact]
    public async Task PingWithoutTimestamp_Is401NamingTheMissingHeader()
    {
        using var request = DiscordInteractions.FromVector("ping_valid");
        request.Headers.Remove("X-Signature-Timestamp");

        using var response = await SendAsync(request);

        await AssertRefusedAsync(response, "X-Signature-Timestamp header is missing");
    }

    [Fact]
    public async Task SignedPingReplayedAfterFiveMinutes_Is401AsAReplay()
    {
        Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        using var response = await SendAsync(DiscordInteractions.FromVector("ping_valid"));

        await AssertRefusedAsync(response, "replayed request is refused");
    }

    [Fact]
    public async Task SignedApplicationCommand_IsDeferred_AndARetryOfItIsDeferredAgain()
    {
        using var first = await SendAsync(DiscordInteractions.FromVector("application_command_valid"));
        using var again = await SendAsync(DiscordInteractions.FromVector("application_command_valid"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"type\":5}", await first.Content.ReadAsStringAsync(Ct));
        Assert.Equal("{\"type\":5}", await again.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("""{"id":"1200000000000000009","type":2,"token":"t","channel_id":"1400000000000000001","data":{"name":"env"}}""", "neither member.user nor user")]
    [InlineData("""{"id":"1200000000000000009","type":5,"token":"t","channel_id":"1400000000000000001","user":{"id":"1300000000000000001"},"data":{}}""", "interaction type 5 is not one this bot handles")]
    [InlineData("""{"id":"1200000000000000009","type":3,"token":"t","channel_id":"1400000000000000001","user":{"id":"1300000000000000001"},"data":{"custom_id":"confirm:1","component_type":2}}""", "has no message")]
    public async Task SignedInteractionWithBadData_Is400SayingWhat_AndKeepsNothing(string body, string reason)
    {
        using var response = await SendAsync(DiscordInteractions.Signed(body, DiscordInteractions.SignedAt));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty((await Chat.GetJsonAsync("/api/runs?env=test")).EnumerateArray());
        Assert.Empty(await Chat.MessagesAsync());
    }

    [Fact]
    public async Task SignedBodyThatIsNotJson_Is400SayingWhy()
    {
        using var response = await SendAsync(DiscordInteractions.Signed("type=1", DiscordInteractions.SignedAt));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not JSON", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedPing_ThroughAProxyToAPublicName_IsAnswered()
    {
        // Like Slack's endpoints: Discord reaches the bot by whatever public name it was given, through a
        // proxy or tunnel, and the signature is what proves the request; no token, no allowed host.
        using var request = DiscordInteractions.FromVector("ping_valid");
        request.Headers.Host = "chatops.example.com";
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"type\":1}", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task ForgedPing_ThroughAProxyToAPublicName_IsStill401()
    {
        using var request = DiscordInteractions.FromVector("ping_signed_by_other_key");
        request.Headers.Host = "chatops.example.com";
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await SendAsync(request);

        await AssertRefusedAsync(response, "does not match");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await Chat.Http.SendAsync(request, Ct);
        }
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string detail)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\":1}", body, StringComparison.Ordinal);
        // Nothing ran and nothing was kept: the refusal is all that happened.
        Assert.Empty((await Chat.GetJsonAsync("/api/runs?env=test")).EnumerateArray());
        Assert.Empty(await Chat.MessagesAsync());
    }
}
