using System.Net;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests.Access;

/// <summary>DNS rebinding: a request asking for a name the bot does not answer to is refused before anything runs.</summary>
public sealed class HostHeaderTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    ["WebChat:AllowedHosts:0"] = "chatops.example.com",
}))
{
    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        using var response = await Chat.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/api/chat/channels")]
    [InlineData("/api/environments")]
    [InlineData("/metrics")]
    [InlineData("/")]
    public async Task ForeignHost_Is421(string path)
    {
        var (status, body) = await GetAsync(path, "rebound.evil.example:5080");

        Assert.Equal(HttpStatusCode.MisdirectedRequest, status);
        Assert.Contains("rebound.evil.example:5080", body);
        Assert.Contains("WebChat:AllowedHosts", body);
    }

    [Fact]
    public async Task ForeignHost_PostIsRefusedAndKeepsNothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat/messages")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { channel = "ops", user = "alice", text = "help" }),
        };
        request.Headers.Host = "rebound.evil.example";

        using var response = await Chat.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Empty(await Chat.MessagesAsync());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("chatops.example.com")]
    [InlineData("CHATOPS.example.com:443")]
    public async Task KnownHost_IsServed(string host)
    {
        var (status, _) = await GetAsync("/api/chat/channels", host);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Healthz_AnswersAnyHost()
    {
        var (status, _) = await GetAsync("/healthz", "10.0.0.7:5080");

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
