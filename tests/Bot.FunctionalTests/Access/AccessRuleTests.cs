using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests.Access;

/// <summary>
/// One rule for every <c>/api/*</c> endpoint and <c>/metrics</c>: straight from loopback, or a token. A forwarding
/// header means a proxy relayed the request from somewhere else, so the in-process server (which is loopback)
/// stands in for any remote client here; <see cref="SocketAccessTests"/> does the same over real sockets.
/// </summary>
public sealed class AccessRuleTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    ["WebChat:AccessToken"] = FullToken,
    ["WebChat:ReadToken"] = ReadToken,
}))
{
    private const string FullToken = "full-token-for-tests";
    private const string ReadToken = "read-token-for-tests";

    public static TheoryData<string, string> ProtectedEndpoints => new()
    {
        { "GET", "/api/chat/channels" },
        { "GET", "/api/chat/channels/ops/messages" },
        { "GET", "/api/chat/commands?user=alice" },
        { "GET", "/api/environments" },
        { "GET", "/api/environments/dev" },
        { "GET", "/api/runs" },
        { "GET", "/api/audit" },
        { "GET", "/api/audit/verify" },
        { "GET", "/api/alerts" },
        { "GET", "/api/pulse/logins" },
        { "GET", "/metrics" },
        { "POST", "/api/chat/messages" },
        { "POST", "/api/chat/actions" },
        { "POST", "/api/alerts" },
        { "POST", "/api/events" },
        { "POST", "/api/pulse" },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? bearer = null, string forwarded = "X-Forwarded-For: 203.0.113.9")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(path switch
            {
                "/api/chat/messages" => """{"channel":"ops","user":"alice","text":"/env destroy prod"}""",
                "/api/chat/actions" => """{"channel":"ops","user":"bob","messageId":"m1","actionId":"approve:1"}""",
                "/api/alerts" => """{"fingerprint":"x","status":"firing","title":"forged"}""",
                "/api/events" => """[{"key":"logins","value":1}]""",
                _ => "",
            }, Encoding.UTF8, "application/json");
        }

        var (name, value) = (forwarded[..forwarded.IndexOf(':', StringComparison.Ordinal)], forwarded[(forwarded.IndexOf(':', StringComparison.Ordinal) + 2)..]);
        request.Headers.TryAddWithoutValidation(name, value);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await Chat.Http.SendAsync(request, Ct);
    }

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task ProtectedEndpoint_ThroughAProxyWithoutToken_Is401AndChangesNothing(string method, string path)
    {
        using var response = await SendAsync(method, path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("\"status\":401", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(await Chat.MessagesAsync());
        Assert.Empty((await Chat.GetJsonAsync("/api/alerts")).EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task ProtectedEndpoint_ThroughAProxyWithTheAccessToken_IsServed(string method, string path)
    {
        using var response = await SendAsync(method, path, FullToken);

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("Forwarded: for=203.0.113.9")]
    [InlineData("X-Forwarded-For: 127.0.0.1")]
    [InlineData("X-Real-IP: 203.0.113.9")]
    [InlineData("X-Forwarded-Host: chatops.example.com")]
    [InlineData("Via: 1.1 haproxy")]
    public async Task AnyForwardingHeader_EndsLoopbackTrust(string header)
    {
        using var response = await SendAsync("GET", "/api/environments", forwarded: header);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ReadToken_Reads()
    {
        using var response = await SendAsync("GET", "/api/audit", ReadToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ReadToken_CannotChangeAnything()
    {
        using var response = await SendAsync("POST", "/api/chat/messages", ReadToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("only reads", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(await Chat.MessagesAsync());
    }

    [Fact]
    public async Task QueryToken_ServesReadsOnly()
    {
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/chat/channels?token={FullToken}");
        read.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var write = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/messages?token={FullToken}")
        {
            Content = new StringContent("""{"channel":"ops","user":"alice","text":"help"}""", Encoding.UTF8, "application/json"),
        };
        write.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var readResponse = await Chat.Http.SendAsync(read, Ct);
        using var writeResponse = await Chat.Http.SendAsync(write, Ct);

        Assert.Equal(HttpStatusCode.OK, readResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, writeResponse.StatusCode);
        Assert.Empty(await Chat.MessagesAsync());
    }

    [Fact]
    public async Task WrongToken_Is401()
    {
        using var response = await SendAsync("GET", "/metrics", "not-the-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/")]
    [InlineData("/app.js")]
    public async Task HealthAndThePage_StayOpen(string path)
    {
        using var response = await SendAsync("GET", path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SlackEndpoints_KeepTheirOwnCheck()
    {
        using var response = await SendAsync("POST", "/slack/commands");

        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("token", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Without <c>WebChat:AccessToken</c> only loopback without a proxy in between is served.</summary>
public sealed class AccessWithoutTokenTests : HostTest
{
    [Fact]
    public async Task ThroughAProxy_WithNoTokenConfigured_Is403NamingTheSetting()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/environments");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await Chat.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("WebChat:AccessToken is not set", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StraightFromLoopback_NeedsNoToken()
    {
        using var response = await Chat.Http.GetAsync("/api/environments", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
